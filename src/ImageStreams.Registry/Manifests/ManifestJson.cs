using System.Text.Json;
using System.Text.Json.Serialization;

namespace ImageStreams.Registry.Manifests;

// Wire shapes of manifests, image configs and registry answers; the public records are built from these.

internal sealed class ManifestJson
{
    public int SchemaVersion { get; set; }
    public string? MediaType { get; set; }
    public DescriptorJson? Config { get; set; }
    public List<DescriptorJson>? Layers { get; set; }
    public List<DescriptorJson>? Manifests { get; set; }
    public Dictionary<string, string>? Annotations { get; set; }

    // Docker schema 1.
    public string? Name { get; set; }
    public string? Tag { get; set; }
    public string? Architecture { get; set; }
    public List<FsLayerJson>? FsLayers { get; set; }
    public List<HistoryJson>? History { get; set; }
    public List<SignatureJson>? Signatures { get; set; }
}

internal sealed class DescriptorJson
{
    public string? MediaType { get; set; }
    public string? Digest { get; set; }
    public long Size { get; set; }
    public PlatformJson? Platform { get; set; }
    public Dictionary<string, string>? Annotations { get; set; }
}

internal sealed class PlatformJson
{
    public string? Architecture { get; set; }
    public string? Os { get; set; }
    public string? Variant { get; set; }
}

internal sealed class FsLayerJson
{
    public string? BlobSum { get; set; }
}

internal sealed class HistoryJson
{
    public string? V1Compatibility { get; set; }
}

internal sealed class SignatureJson
{
    public string? Protected { get; set; }
}

internal sealed class ProtectedHeaderJson
{
    public int FormatLength { get; set; }
    public string? FormatTail { get; set; }
}

/// <summary>An image configuration (OCI image config / Docker image JSON), and the v1Compatibility of schema 1.</summary>
internal sealed class ImageConfigJson
{
    public string? Id { get; set; }
    public string? Parent { get; set; }
    public string? Comment { get; set; }
    public string? Created { get; set; }
    public string? Container { get; set; }
    [JsonPropertyName("docker_version")] public string? DockerVersion { get; set; }
    public string? Author { get; set; }
    public string? Architecture { get; set; }
    public string? Os { get; set; }
    public string? Variant { get; set; }
    public ContainerConfigJson? Config { get; set; }
    public long Size { get; set; }
}

internal sealed class ContainerConfigJson
{
    public string? Hostname { get; set; }
    public string? User { get; set; }
    public Dictionary<string, JsonElement>? ExposedPorts { get; set; }
    public List<string>? Env { get; set; }
    public List<string>? Cmd { get; set; }
    public List<string>? Entrypoint { get; set; }
    public Dictionary<string, JsonElement>? Volumes { get; set; }
    public string? WorkingDir { get; set; }
    public Dictionary<string, string>? Labels { get; set; }
    public string? StopSignal { get; set; }
}

internal sealed class TagListJson
{
    public string? Name { get; set; }
    public List<string>? Tags { get; set; }
}

internal sealed class TokenJson
{
    public string? Token { get; set; }
    [JsonPropertyName("access_token")] public string? AccessToken { get; set; }
    [JsonPropertyName("expires_in")] public int ExpiresIn { get; set; }
}

internal sealed class ErrorsJson
{
    public List<ErrorJson>? Errors { get; set; }
}

internal sealed class ErrorJson
{
    public string? Code { get; set; }
    public string? Message { get; set; }
}

[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(ManifestJson))]
[JsonSerializable(typeof(ProtectedHeaderJson))]
[JsonSerializable(typeof(ImageConfigJson))]
[JsonSerializable(typeof(TagListJson))]
[JsonSerializable(typeof(TokenJson))]
[JsonSerializable(typeof(ErrorsJson))]
internal sealed partial class RegistryJsonContext : JsonSerializerContext;
