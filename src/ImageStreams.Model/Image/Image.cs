using System.Text.Json.Serialization;
using ImageStreams.Model.Meta;

namespace ImageStreams.Model.Image;

/// <summary>An image known to the server (cluster scoped); its name is the manifest digest.</summary>
public sealed record Image : IResource
{
    public const string KindName = "Image";

    public string? ApiVersion { get; init; } = ImageApi.GroupVersion;
    public string? Kind { get; init; } = KindName;
    public ObjectMeta Metadata { get; init; } = new();
    public string? DockerImageReference { get; init; }
    public DockerImageMetadata? DockerImageMetadata { get; init; }
    public string? DockerImageMetadataVersion { get; init; }
    /// <summary>The raw manifest, only when asked for (includeManifest).</summary>
    public string? DockerImageManifest { get; init; }
    public IReadOnlyList<ImageLayer>? DockerImageLayers { get; init; }
    public string? DockerImageManifestMediaType { get; init; }
    /// <summary>The children of a manifest list or OCI index; such images have no layers or config.</summary>
    public IReadOnlyList<ImageManifest>? DockerImageManifests { get; init; }
    public string? DockerImageConfig { get; init; }
}

public sealed record ImageLayer
{
    public string Name { get; init; } = "";
    public long Size { get; init; }
    public string MediaType { get; init; } = "";
}

public sealed record ImageManifest
{
    public string Digest { get; init; } = "";
    public string MediaType { get; init; } = "";
    public long ManifestSize { get; init; }
    public string Architecture { get; init; } = "";
    public string Os { get; init; } = "";
    public string? Variant { get; init; }
}

/// <summary>The image's configuration as OpenShift serializes it (docker 1.0 field names).</summary>
public sealed record DockerImageMetadata
{
    [JsonPropertyName("kind")] public string Kind { get; init; } = "DockerImage";
    [JsonPropertyName("apiVersion")] public string ApiVersion { get; init; } = "image.openshift.io/1.0";
    [JsonPropertyName("Id")] public string? Id { get; init; }
    [JsonPropertyName("Parent")] public string? Parent { get; init; }
    [JsonPropertyName("Comment")] public string? Comment { get; init; }
    [JsonPropertyName("Created")] public DateTimeOffset? Created { get; init; }
    [JsonPropertyName("Container")] public string? Container { get; init; }
    [JsonPropertyName("DockerVersion")] public string? DockerVersion { get; init; }
    [JsonPropertyName("Author")] public string? Author { get; init; }
    [JsonPropertyName("Config")] public DockerConfig? Config { get; init; }
    [JsonPropertyName("Architecture")] public string? Architecture { get; init; }
    [JsonPropertyName("Os")] public string? Os { get; init; }
    [JsonPropertyName("Variant")] public string? Variant { get; init; }
    [JsonPropertyName("Size")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long Size { get; init; }
}

public sealed record DockerConfig
{
    [JsonPropertyName("Hostname")] public string? Hostname { get; init; }
    [JsonPropertyName("User")] public string? User { get; init; }
    [JsonPropertyName("ExposedPorts")] public IReadOnlyDictionary<string, object>? ExposedPorts { get; init; }
    [JsonPropertyName("Env")] public IReadOnlyList<string>? Env { get; init; }
    [JsonPropertyName("Cmd")] public IReadOnlyList<string>? Cmd { get; init; }
    [JsonPropertyName("Entrypoint")] public IReadOnlyList<string>? Entrypoint { get; init; }
    [JsonPropertyName("Volumes")] public IReadOnlyDictionary<string, object>? Volumes { get; init; }
    [JsonPropertyName("WorkingDir")] public string? WorkingDir { get; init; }
    [JsonPropertyName("Labels")] public IReadOnlyDictionary<string, string>? Labels { get; init; }
    [JsonPropertyName("StopSignal")] public string? StopSignal { get; init; }
}
