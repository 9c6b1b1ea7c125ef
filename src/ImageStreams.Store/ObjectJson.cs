using System.Globalization;
using System.Text.Json.Nodes;
using ImageStreams.Model.Serialization;

namespace ImageStreams.Store;

/// <summary>The stored form of objects: JSON text with metadata.resourceVersion set by the store.</summary>
internal static class ObjectJson
{
    public static JsonObject Parse(string json) =>
        JsonNode.Parse(json) as JsonObject ?? throw new InvalidDataException("a stored object is not a JSON object");

    public static JsonObject Parse(byte[] utf8) =>
        JsonNode.Parse(utf8) as JsonObject ?? throw new InvalidDataException("a stored object is not a JSON object");

    /// <summary>Sets metadata.resourceVersion (a string, as Kubernetes writes it) and returns the text to store.</summary>
    public static string WithResourceVersion(JsonObject obj, long resourceVersion)
    {
        var metadata = obj["metadata"];
        if (metadata is null)
        {
            metadata = new JsonObject();
            obj["metadata"] = metadata;
        }
        else if (metadata is not JsonObject)
        {
            throw new ArgumentException("metadata must be a JSON object", nameof(obj));
        }
        metadata["resourceVersion"] = resourceVersion.ToString(CultureInfo.InvariantCulture);
        return obj.ToJsonString(ResourceJson.Options);
    }
}
