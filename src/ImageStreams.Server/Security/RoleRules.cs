using ImageStreams.Model.Security;
using ImageStreams.Server.Api;

namespace ImageStreams.Server.Security;

/// <summary>
/// What each built-in role allows on a namespaced request, shaped as Kubernetes' aggregated roles: view reads every
/// resource but secrets and role bindings (and pulls: get imagestreams/layers); edit writes everything but role
/// bindings (and pushes: update imagestreams/layers); admin and cluster-admin may do anything in the namespace.
/// Resources added later fall under the same rules without listing them.
/// </summary>
internal static class RoleRules
{
    private static readonly string[] ReadVerbs = ["get", "list", "watch"];

    /// <summary>How strong a role is; a stronger role allows everything a weaker one does.</summary>
    public static int Rank(string? role) => role switch
    {
        Roles.View => 1,
        Roles.Edit => 2,
        Roles.Admin => 3,
        Roles.ClusterAdmin => 4,
        _ => 0,
    };

    /// <summary>The weakest role that allows <paramref name="request"/> in its namespace, or null when no namespace role does.</summary>
    public static string? Required(ApiRequestInfo request)
    {
        var read = ReadVerbs.Contains(request.Verb);
        if (request.Resource == "namespaces")
        {
            return request.Verb == "get" ? Roles.View : request.Verb is "update" or "patch" or "delete" ? Roles.Admin : null;
        }
        return request.Resource switch
        {
            "rolebindings" => Roles.Admin,
            "secrets" => Roles.Edit,
            _ => read ? Roles.View : Roles.Edit,
        };
    }
}
