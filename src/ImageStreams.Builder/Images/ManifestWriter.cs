using System.Text.Json;
using ImageStreams.Registry.Manifests;

namespace ImageStreams.Builder.Images;

/// <summary>The image manifest of a build: OCI or Docker schema 2 (following the base), with annotations for OCI.</summary>
internal static class ManifestWriter
{
    /// <summary>OCI image spec's annotation naming the base image.</summary>
    public const string BaseNameAnnotation = "org.opencontainers.image.base.name";

    /// <summary>OCI image spec's annotation with the base image's digest.</summary>
    public const string BaseDigestAnnotation = "org.opencontainers.image.base.digest";

    public static byte[] Write(string mediaType, Descriptor config, IEnumerable<Descriptor> layers, IReadOnlyDictionary<string, string> annotations)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("schemaVersion", 2);
            json.WriteString("mediaType", mediaType);
            json.WritePropertyName("config");
            WriteDescriptor(json, config);
            json.WriteStartArray("layers");
            foreach (var layer in layers)
            {
                WriteDescriptor(json, layer);
            }
            json.WriteEndArray();
            if (annotations.Count > 0 && mediaType == MediaTypes.OciManifest)
            {
                json.WriteStartObject("annotations");
                foreach (var (key, value) in annotations.OrderBy(a => a.Key, StringComparer.Ordinal))
                {
                    json.WriteString(key, value);
                }
                json.WriteEndObject();
            }
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    private static void WriteDescriptor(Utf8JsonWriter json, Descriptor descriptor)
    {
        json.WriteStartObject();
        json.WriteString("mediaType", descriptor.MediaType);
        json.WriteString("digest", descriptor.Digest.ToString());
        json.WriteNumber("size", descriptor.Size);
        json.WriteEndObject();
    }
}
