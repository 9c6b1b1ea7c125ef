namespace ImageStreams.Server.Security;

/// <summary>Who a request comes from: a user name and its groups, as Kubernetes' authenticators report them.</summary>
public sealed record UserInfo(string Name, IReadOnlyList<string> Groups)
{
    public const string AnonymousName = "system:anonymous";
    public const string AdminName = "system:admin";
    public const string ControllerName = "system:serviceaccount:imagestreams-system:controllers";
    public const string Authenticated = "system:authenticated";
    public const string Unauthenticated = "system:unauthenticated";

    /// <summary>Members have every right (Kubernetes' superuser group).</summary>
    public const string Masters = "system:masters";

    /// <summary>The server's in-process clients: edit in every namespace, so builds can push their output.</summary>
    public const string Controllers = "system:imagestreams-controllers";

    public const string ServiceAccountPrefix = "system:serviceaccount:";

    public static UserInfo Anonymous { get; } = new(AnonymousName, [Unauthenticated]);

    public bool IsAnonymous => Name == AnonymousName;

    /// <summary>The user with the groups its name implies: the admin is a master, service accounts are in their namespace's group.</summary>
    public static UserInfo Named(string name)
    {
        List<string> groups = [Authenticated];
        if (name == AdminName)
        {
            groups.Add(Masters);
        }
        else if (name == ControllerName)
        {
            groups.Add(Controllers);
        }
        if (name.StartsWith(ServiceAccountPrefix, StringComparison.Ordinal) && name.Split(':') is [_, _, var ns, _])
        {
            groups.Add("system:serviceaccounts");
            groups.Add("system:serviceaccounts:" + ns);
        }
        return new UserInfo(name, groups);
    }
}
