using System.Buffers.Text;
using System.Text.Json;
using ImageStreams.Registry.References;

namespace ImageStreams.Registry.Manifests;

/// <summary>A manifest that cannot be read: malformed, or of a kind this client does not support.</summary>
public sealed class InvalidManifestException(string message, string? mediaType, bool unsupported) : Exception(message)
{
    public string? MediaType { get; } = mediaType;

    public bool Unsupported { get; } = unsupported;
}

/// <summary>Reads the bytes of a manifest into the records of this folder and computes its digest.</summary>
public static class ManifestParser
{
    /// <param name="content">The manifest bytes as the registry sent them.</param>
    /// <param name="contentType">The response's Content-Type; used when the document does not say its media type.</param>
    /// <param name="digestAlgorithm">The algorithm to compute the digest with (the one the caller will compare against).</param>
    /// <exception cref="InvalidManifestException">The bytes are not a manifest this parser reads.</exception>
    public static Manifest Parse(ReadOnlyMemory<byte> content, string? contentType, string digestAlgorithm = Digest.Sha256)
    {
        ManifestJson? json;
        try
        {
            json = JsonSerializer.Deserialize(content.Span, RegistryJsonContext.Default.ManifestJson);
        }
        catch (JsonException ex)
        {
            throw new InvalidManifestException($"the manifest is not valid JSON: {ex.Message}", contentType, unsupported: false);
        }
        if (json is null)
        {
            throw new InvalidManifestException("the manifest is empty", contentType, unsupported: false);
        }

        var mediaType = MediaTypeOf(json, ContentTypeWithoutParameters(contentType));
        if (!MediaTypes.IsManifest(mediaType))
        {
            throw new InvalidManifestException("not an image manifest", mediaType, unsupported: true);
        }
        if (MediaTypes.IsSchema1(mediaType))
        {
            return Schema1(json, content, mediaType!, digestAlgorithm);
        }
        if (json.SchemaVersion != 2)
        {
            throw new InvalidManifestException($"schemaVersion {json.SchemaVersion} does not match media type {mediaType}", mediaType, unsupported: true);
        }

        var digest = Digest.Compute(digestAlgorithm, content.Span);
        if (MediaTypes.IsList(mediaType))
        {
            return new ManifestList
            {
                MediaType = mediaType!,
                Digest = digest,
                Content = content,
                Manifests = (json.Manifests ?? []).Select(d => ToDescriptor(d, "manifests[]")).ToList(),
                Annotations = json.Annotations,
            };
        }
        if (json.Config is null)
        {
            throw new InvalidManifestException("the image manifest has no config", mediaType, unsupported: false);
        }
        return new Schema2Manifest
        {
            MediaType = mediaType!,
            Digest = digest,
            Content = content,
            Config = ToDescriptor(json.Config, "config"),
            Layers = (json.Layers ?? []).Select(d => ToDescriptor(d, "layers[]")).ToList(),
            Annotations = json.Annotations,
        };
    }

    /// <summary>
    /// The bytes a signed schema 1 manifest's digest is computed over: the JSON without its "signatures"
    /// member, rebuilt from the formatLength and formatTail of the JWS protected header.
    /// </summary>
    internal static ReadOnlyMemory<byte> Schema1Payload(ReadOnlyMemory<byte> content, IReadOnlyList<SignatureJson>? signatures)
    {
        var encoded = signatures is { Count: > 0 } ? signatures[0]?.Protected : null;
        if (string.IsNullOrEmpty(encoded))
        {
            return content;
        }
        ProtectedHeaderJson? header;
        try
        {
            header = JsonSerializer.Deserialize(Base64Url.DecodeFromChars(encoded), RegistryJsonContext.Default.ProtectedHeaderJson);
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            throw new InvalidManifestException($"the schema 1 signature header is invalid: {ex.Message}", MediaTypes.DockerSchema1Signed, unsupported: false);
        }
        if (header is null || header.FormatLength <= 0 || header.FormatLength > content.Length)
        {
            throw new InvalidManifestException("the schema 1 signature header has an invalid formatLength", MediaTypes.DockerSchema1Signed, unsupported: false);
        }
        byte[] tail;
        try
        {
            tail = Base64Url.DecodeFromChars(header.FormatTail ?? "");
        }
        catch (FormatException ex)
        {
            throw new InvalidManifestException($"the schema 1 signature header has an invalid formatTail: {ex.Message}", MediaTypes.DockerSchema1Signed, unsupported: false);
        }
        var payload = new byte[header.FormatLength + tail.Length];
        content.Span[..header.FormatLength].CopyTo(payload);
        tail.CopyTo(payload.AsSpan(header.FormatLength));
        return payload;
    }

    private static Schema1Manifest Schema1(ManifestJson json, ReadOnlyMemory<byte> content, string mediaType, string digestAlgorithm)
    {
        var history = (json.History ?? []).Select(h => h?.V1Compatibility ?? "").ToList();
        if (history.Count == 0 || history[0].Length == 0)
        {
            throw new InvalidManifestException("the schema 1 manifest has no v1Compatibility history", mediaType, unsupported: false);
        }
        var layers = new List<Digest>();
        foreach (var layer in json.FsLayers ?? [])
        {
            if (!Digest.TryParse(layer?.BlobSum, out var digest, out var error))
            {
                throw new InvalidManifestException($"fsLayers[]: {error}", mediaType, unsupported: false);
            }
            layers.Add(digest);
        }
        var payload = Schema1Payload(content, json.Signatures);
        return new Schema1Manifest
        {
            MediaType = json.Signatures is { Count: > 0 } ? MediaTypes.DockerSchema1Signed : MediaTypes.DockerSchema1,
            Digest = Digest.Compute(digestAlgorithm, payload.Span),
            Content = content,
            Name = json.Name,
            Tag = json.Tag,
            Architecture = json.Architecture,
            FsLayers = layers,
            History = history,
        };
    }

    // The document's own mediaType wins; then the Content-Type; then the shape (OCI allows omitting mediaType).
    private static string? MediaTypeOf(ManifestJson json, string? contentType)
    {
        if (json.SchemaVersion == 1)
        {
            return json.Signatures is { Count: > 0 } ? MediaTypes.DockerSchema1Signed : MediaTypes.DockerSchema1;
        }
        if (!string.IsNullOrEmpty(json.MediaType))
        {
            return json.MediaType;
        }
        if (MediaTypes.IsManifest(contentType) && !MediaTypes.IsSchema1(contentType))
        {
            return contentType;
        }
        if (json.Manifests is not null)
        {
            return MediaTypes.OciIndex;
        }
        if (json.Config is not null)
        {
            return MediaTypes.OciManifest;
        }
        return contentType;
    }

    private static Descriptor ToDescriptor(DescriptorJson? json, string field)
    {
        if (json is null)
        {
            throw new InvalidManifestException($"{field}: a descriptor is null", null, unsupported: false);
        }
        if (!Digest.TryParse(json.Digest, out var digest, out var error))
        {
            throw new InvalidManifestException($"{field}: {error}", null, unsupported: false);
        }
        if (json.Size < 0)
        {
            throw new InvalidManifestException($"{field}: negative size {json.Size}", null, unsupported: false);
        }
        return new Descriptor(json.MediaType ?? "", digest, json.Size)
        {
            Platform = json.Platform is { Os: { Length: > 0 } os, Architecture: { Length: > 0 } architecture }
                ? new Platform(os, architecture, string.IsNullOrEmpty(json.Platform.Variant) ? null : json.Platform.Variant)
                : null,
            Annotations = json.Annotations,
        };
    }

    /// <summary>The media type of a Content-Type or Accept value: lower case, without parameters; null when empty.</summary>
    public static string? ContentTypeWithoutParameters(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType))
        {
            return null;
        }
        var semicolon = contentType.IndexOf(';', StringComparison.Ordinal);
        return (semicolon >= 0 ? contentType[..semicolon] : contentType).Trim().ToLowerInvariant();
    }
}
