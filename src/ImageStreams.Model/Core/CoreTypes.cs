using ImageStreams.Model.Meta;

namespace ImageStreams.Model.Core;

/// <summary>Names of the core (legacy, group "") API.</summary>
public static class CoreApi
{
    public const string Group = "";
    public const string Version = "v1";
    public const string GroupVersion = "v1";
    public const string DefaultNamespace = "default";
}

/// <summary>A namespace (project): the unit of naming and, later, of access.</summary>
public sealed record Namespace : IResource
{
    public const string KindName = "Namespace";

    public string? ApiVersion { get; init; } = CoreApi.GroupVersion;
    public string? Kind { get; init; } = KindName;
    public ObjectMeta Metadata { get; init; } = new();
    public NamespaceSpec? Spec { get; init; }
    public NamespaceStatus? Status { get; init; }
}

public sealed record NamespaceSpec
{
    public IReadOnlyList<string>? Finalizers { get; init; }
}

public sealed record NamespaceStatus
{
    /// <summary>"Active" or "Terminating".</summary>
    public string? Phase { get; init; }
}

/// <summary>A secret: registry credentials of type kubernetes.io/dockerconfigjson or kubernetes.io/dockercfg among others.</summary>
public sealed record Secret : IResource
{
    public const string KindName = "Secret";

    public string? ApiVersion { get; init; } = CoreApi.GroupVersion;
    public string? Kind { get; init; } = KindName;
    public ObjectMeta Metadata { get; init; } = new();
    public string? Type { get; init; }
    /// <summary>Values base64-encoded, as on the wire.</summary>
    public IReadOnlyDictionary<string, string>? Data { get; init; }
    /// <summary>Write-only convenience: plain values merged into <see cref="Data"/> on write.</summary>
    public IReadOnlyDictionary<string, string>? StringData { get; init; }
    public bool? Immutable { get; init; }
}

public static class SecretTypes
{
    public const string Opaque = "Opaque";
    public const string DockerConfigJson = "kubernetes.io/dockerconfigjson";
    public const string DockerCfg = "kubernetes.io/dockercfg";
    public const string BasicAuth = "kubernetes.io/basic-auth";
    public const string DockerConfigJsonKey = ".dockerconfigjson";
    public const string DockerCfgKey = ".dockercfg";
}
