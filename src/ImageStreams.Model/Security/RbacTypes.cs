using ImageStreams.Model.Meta;

namespace ImageStreams.Model.Security;

/// <summary>Names of Kubernetes' RBAC API, whose role bindings grant the built-in roles.</summary>
public static class RbacApi
{
    public const string Group = "rbac.authorization.k8s.io";
    public const string Version = "v1";
    public const string GroupVersion = Group + "/" + Version;
}

/// <summary>The roles a binding may grant; they are built in and cannot be changed.</summary>
public static class Roles
{
    /// <summary>Read everything in a namespace except secrets; pull images.</summary>
    public const string View = "view";

    /// <summary>View, plus write everything in a namespace except role bindings; push images.</summary>
    public const string Edit = "edit";

    /// <summary>Edit, plus role bindings and the namespace itself.</summary>
    public const string Admin = "admin";

    /// <summary>Everything, everywhere (bound in a namespace: everything there).</summary>
    public const string ClusterAdmin = "cluster-admin";

    public static IReadOnlyList<string> All { get; } = [View, Edit, Admin, ClusterAdmin];
}

/// <summary>Who a binding names: <c>User</c>, <c>Group</c> or <c>ServiceAccount</c> (with its namespace).</summary>
public sealed record Subject
{
    public const string UserKind = "User";
    public const string GroupKind = "Group";
    public const string ServiceAccountKind = "ServiceAccount";

    public string? Kind { get; init; }
    public string? ApiGroup { get; init; }
    public string? Name { get; init; }
    public string? Namespace { get; init; }
}

/// <summary>The role a binding grants: a <c>ClusterRole</c> named after one of <see cref="Roles"/>.</summary>
public sealed record RoleRef
{
    public const string ClusterRoleKind = "ClusterRole";

    public string? ApiGroup { get; init; } = RbacApi.Group;
    public string? Kind { get; init; } = ClusterRoleKind;
    public string? Name { get; init; }
}

/// <summary>Grants a role to subjects in one namespace (rbac.authorization.k8s.io/v1 RoleBinding).</summary>
public sealed record RoleBinding : IResource
{
    public const string KindName = "RoleBinding";

    public string? ApiVersion { get; init; } = RbacApi.GroupVersion;
    public string? Kind { get; init; } = KindName;
    public ObjectMeta Metadata { get; init; } = new();
    public IReadOnlyList<Subject>? Subjects { get; init; }
    public RoleRef? RoleRef { get; init; }
}

/// <summary>Grants a role to subjects in every namespace (rbac.authorization.k8s.io/v1 ClusterRoleBinding).</summary>
public sealed record ClusterRoleBinding : IResource
{
    public const string KindName = "ClusterRoleBinding";

    public string? ApiVersion { get; init; } = RbacApi.GroupVersion;
    public string? Kind { get; init; } = KindName;
    public ObjectMeta Metadata { get; init; } = new();
    public IReadOnlyList<Subject>? Subjects { get; init; }
    public RoleRef? RoleRef { get; init; }
}
