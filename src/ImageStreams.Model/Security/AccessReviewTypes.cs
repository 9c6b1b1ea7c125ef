using ImageStreams.Model.Meta;

namespace ImageStreams.Model.Security;

/// <summary>Names of Kubernetes' authorization API.</summary>
public static class AuthorizationApi
{
    public const string Group = "authorization.k8s.io";
    public const string Version = "v1";
    public const string GroupVersion = Group + "/" + Version;
}

/// <summary>"May I do this?" as <c>kubectl auth can-i</c> asks it; the answer is in <see cref="Status"/>.</summary>
public sealed record SelfSubjectAccessReview : IResource
{
    public const string KindName = "SelfSubjectAccessReview";

    public string? ApiVersion { get; init; } = AuthorizationApi.GroupVersion;
    public string? Kind { get; init; } = KindName;
    public ObjectMeta Metadata { get; init; } = new();
    public SelfSubjectAccessReviewSpec? Spec { get; init; }
    public SubjectAccessReviewStatus? Status { get; init; }
}

public sealed record SelfSubjectAccessReviewSpec
{
    public ResourceAttributes? ResourceAttributes { get; init; }
    public NonResourceAttributes? NonResourceAttributes { get; init; }
}

public sealed record ResourceAttributes
{
    public string? Namespace { get; init; }
    public string? Verb { get; init; }
    public string? Group { get; init; }
    public string? Version { get; init; }
    public string? Resource { get; init; }
    public string? Subresource { get; init; }
    public string? Name { get; init; }
}

public sealed record NonResourceAttributes
{
    public string? Path { get; init; }
    public string? Verb { get; init; }
}

public sealed record SubjectAccessReviewStatus
{
    public bool Allowed { get; init; }
    public bool? Denied { get; init; }
    public string? Reason { get; init; }
}
