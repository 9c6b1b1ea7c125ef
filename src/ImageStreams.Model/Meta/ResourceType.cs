using ImageStreams.Model.Build;
using ImageStreams.Model.Core;
using ImageStreams.Model.Image;
using ImageStreams.Model.Security;
using ImageStreams.Model.Workloads;

namespace ImageStreams.Model.Meta;

/// <summary>What the API serves for one resource: names, scope, verbs, and the CLR type of its objects.</summary>
public sealed record ResourceType(
    string Group,
    string Version,
    string Resource,
    string Singular,
    string Kind,
    bool Namespaced,
    IReadOnlyList<string> ShortNames,
    IReadOnlyList<string> Verbs,
    Type ClrType)
{
    public string GroupVersion => string.IsNullOrEmpty(Group) ? Version : $"{Group}/{Version}";
    public GroupResource GroupResource => new(Group, Resource);
    public string ListKind => Kind + "List";

    /// <summary>True for resources kept in the store; false for views computed from others (istag, isimage) and create-only requests.</summary>
    public bool Stored { get; init; } = true;

    /// <summary>True when status is written only through the status subresource.</summary>
    public bool HasStatusSubresource { get; init; }

    /// <summary>Subresources other than status that discovery lists (instantiate, log).</summary>
    public IReadOnlyList<Subresource> Subresources { get; init; } = [];
}

/// <summary>A subresource path under an object, such as <c>buildconfigs/instantiate</c>: its name, the kind it takes or returns, and its verbs.</summary>
public sealed record Subresource(string Name, string Kind, IReadOnlyList<string> Verbs);

/// <summary>The catalogue of every resource the API knows; the server's discovery and the CLI's names come from here.</summary>
public static class ResourceTypes
{
    private static readonly string[] AllVerbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

    public static readonly ResourceType Namespaces = new(
        CoreApi.Group, CoreApi.Version, "namespaces", "namespace", Namespace.KindName, false, ["ns"],
        ["create", "delete", "get", "list", "patch", "update", "watch"], typeof(Namespace));

    public static readonly ResourceType Secrets = new(
        CoreApi.Group, CoreApi.Version, "secrets", "secret", Secret.KindName, true, [], AllVerbs, typeof(Secret));

    public static readonly ResourceType ImageStreams = new(
        ImageApi.Group, ImageApi.Version, "imagestreams", "imagestream", ImageStream.KindName, true, ["is"], AllVerbs,
        typeof(ImageStream))
    { HasStatusSubresource = true };

    public static readonly ResourceType Images = new(
        ImageApi.Group, ImageApi.Version, "images", "image", Image.Image.KindName, false, [], AllVerbs, typeof(Image.Image));

    public static readonly ResourceType ImageStreamTags = new(
        ImageApi.Group, ImageApi.Version, "imagestreamtags", "imagestreamtag", ImageStreamTag.KindName, true, ["istag"],
        ["create", "delete", "get", "list", "patch", "update"], typeof(ImageStreamTag))
    { Stored = false };

    public static readonly ResourceType ImageStreamImages = new(
        ImageApi.Group, ImageApi.Version, "imagestreamimages", "imagestreamimage", ImageStreamImage.KindName, true, ["isimage"],
        ["get"], typeof(ImageStreamImage))
    { Stored = false };

    public static readonly ResourceType ImageStreamImports = new(
        ImageApi.Group, ImageApi.Version, "imagestreamimports", "imagestreamimport", ImageStreamImport.KindName, true, [],
        ["create"], typeof(ImageStreamImport))
    { Stored = false };

    public static readonly ResourceType ImageStreamMappings = new(
        ImageApi.Group, ImageApi.Version, "imagestreammappings", "imagestreammapping", ImageStreamMapping.KindName, true, [],
        ["create"], typeof(ImageStreamMapping))
    { Stored = false };

    public static readonly ResourceType RoleBindings = new(
        RbacApi.Group, RbacApi.Version, "rolebindings", "rolebinding", RoleBinding.KindName, true, [], AllVerbs, typeof(RoleBinding));

    public static readonly ResourceType ClusterRoleBindings = new(
        RbacApi.Group, RbacApi.Version, "clusterrolebindings", "clusterrolebinding", ClusterRoleBinding.KindName, false, [], AllVerbs,
        typeof(ClusterRoleBinding));

    public static readonly ResourceType OAuthAccessTokens = new(
        OAuthApi.Group, OAuthApi.Version, "oauthaccesstokens", "oauthaccesstoken", OAuthAccessToken.KindName, false, [],
        ["create", "delete", "deletecollection", "get", "list", "watch"], typeof(OAuthAccessToken));

    public static readonly ResourceType Users = new(
        OAuthApi.UserGroup, OAuthApi.Version, "users", "user", User.KindName, false, [], ["get"], typeof(User))
    { Stored = false };

    public static readonly ResourceType SelfSubjectAccessReviews = new(
        AuthorizationApi.Group, AuthorizationApi.Version, "selfsubjectaccessreviews", "selfsubjectaccessreview",
        SelfSubjectAccessReview.KindName, false, [], ["create"], typeof(SelfSubjectAccessReview))
    { Stored = false };

    public static readonly ResourceType BuildConfigs = new(
        BuildApi.Group, BuildApi.Version, "buildconfigs", "buildconfig", BuildConfig.KindName, true, ["bc"], AllVerbs,
        typeof(BuildConfig))
    {
        HasStatusSubresource = true,
        Subresources =
        [
            new("instantiate", Build.BuildRequest.KindName, ["create"]),
            new("instantiatebinary", "BinaryBuildRequestOptions", ["create"]),
            new("log", "BuildLog", ["get"]),
        ],
    };

    public static readonly ResourceType Builds = new(
        BuildApi.Group, BuildApi.Version, "builds", "build", Build.Build.KindName, true, [], AllVerbs, typeof(Build.Build))
    {
        HasStatusSubresource = true,
        Subresources = [new("log", "BuildLog", ["get"])],
    };

    // Workloads are stored documents whose images triggers rewrite; nothing runs them.
    public static readonly ResourceType Deployments = new(
        WorkloadApi.AppsGroup, WorkloadApi.Version, "deployments", "deployment", Deployment.KindName, true, ["deploy"], AllVerbs,
        typeof(Deployment))
    { HasStatusSubresource = true };

    public static readonly ResourceType StatefulSets = new(
        WorkloadApi.AppsGroup, WorkloadApi.Version, "statefulsets", "statefulset", StatefulSet.KindName, true, ["sts"], AllVerbs,
        typeof(StatefulSet))
    { HasStatusSubresource = true };

    public static readonly ResourceType DaemonSets = new(
        WorkloadApi.AppsGroup, WorkloadApi.Version, "daemonsets", "daemonset", DaemonSet.KindName, true, ["ds"], AllVerbs,
        typeof(DaemonSet))
    { HasStatusSubresource = true };

    public static readonly ResourceType CronJobs = new(
        WorkloadApi.BatchGroup, WorkloadApi.Version, "cronjobs", "cronjob", CronJob.KindName, true, ["cj"], AllVerbs,
        typeof(CronJob))
    { HasStatusSubresource = true };

    public static IReadOnlyList<ResourceType> All { get; } =
    [
        Namespaces, Secrets, ImageStreams, Images, ImageStreamTags, ImageStreamImages, ImageStreamImports, ImageStreamMappings,
        RoleBindings, ClusterRoleBindings, OAuthAccessTokens, Users, SelfSubjectAccessReviews,
        BuildConfigs, Builds, Deployments, StatefulSets, DaemonSets, CronJobs,
    ];

    public static ResourceType? Find(string group, string resource) =>
        All.FirstOrDefault(r => r.Group == group && r.Resource == resource);

    public static ResourceType? FindByKind(string apiVersion, string kind) =>
        All.FirstOrDefault(r => r.GroupVersion == apiVersion && r.Kind == kind);

    public static ResourceType? ForType(Type clrType) => All.FirstOrDefault(r => r.ClrType == clrType);

    /// <summary>Resolves what a user types: plural, singular, kind or short name, optionally with ".group".</summary>
    public static ResourceType? Resolve(string name)
    {
        var lowered = name.ToLowerInvariant();
        var dot = lowered.IndexOf('.', StringComparison.Ordinal);
        string? group = null;
        if (dot > 0)
        {
            group = lowered[(dot + 1)..];
            lowered = lowered[..dot];
        }
        return All.FirstOrDefault(r =>
            (group is null || r.Group == group) &&
            (r.Resource == lowered || r.Singular == lowered || r.Kind.Equals(lowered, StringComparison.OrdinalIgnoreCase) ||
             r.ShortNames.Contains(lowered)));
    }
}
