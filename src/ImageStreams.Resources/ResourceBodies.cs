using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using ImageStreams.Model.Meta;
using ImageStreams.Model.Serialization;

namespace ImageStreams.Resources;

/// <summary>
/// Decodes request bodies into resource records with Kubernetes' checks and messages: the apiVersion and kind must be
/// the resource's, unknown fields are refused in strict mode, and what does not fit says where.
/// Every handler decodes through here, the create-only ones (imports, mappings) included.
/// </summary>
public static class ResourceBodies
{
    // A null where the model has no null (an "image": null of a mapping) is refused here, not met later as a crash.
    private static readonly JsonSerializerOptions LenientOptions = new(ResourceJson.Options)
    {
        RespectNullableAnnotations = true,
    };

    private static readonly JsonSerializerOptions StrictOptions = new(LenientOptions)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>
    /// Metadata that Kubernetes has and this server does not keep. Documents exported from a cluster carry them, so even a
    /// strict decode drops them instead of refusing the document.
    /// </summary>
    private static readonly string[] UnkeptMetadata = ["managedFields", "ownerReferences", "finalizers", "deletionGracePeriodSeconds"];

    /// <exception cref="ApiException">400 BadRequest saying what does not fit.</exception>
    public static T Decode<T>(ResourceType type, JsonObject body, bool strict)
        where T : class
    {
        var apiVersion = body["apiVersion"] is JsonValue a && a.GetValueKind() == JsonValueKind.String ? a.GetValue<string>() : null;
        var kind = body["kind"] is JsonValue k && k.GetValueKind() == JsonValueKind.String ? k.GetValue<string>() : null;
        if (!string.IsNullOrEmpty(apiVersion) && apiVersion != type.GroupVersion)
        {
            throw ApiErrors.BadRequest($"the API version in the data ({apiVersion}) does not match the expected API version ({type.GroupVersion})");
        }
        if (!string.IsNullOrEmpty(kind) && kind != type.Kind)
        {
            throw ApiErrors.BadRequest($"the kind in the data ({kind}) does not match the expected kind ({type.Kind}) of {type.GroupResource}");
        }
        if (NullListItem(body, "") is { } nullItem)
        {
            throw ApiErrors.BadRequest($"{type.Kind} in version \"{type.Version}\" cannot be handled as a {type.Kind}: a list item is null (at {nullItem})");
        }
        if (strict && body["metadata"] is JsonObject metadata && UnkeptMetadata.Any(metadata.ContainsKey))
        {
            body = (JsonObject)body.DeepClone();
            foreach (var field in UnkeptMetadata)
            {
                ((JsonObject)body["metadata"]!).Remove(field);
            }
        }
        try
        {
            return body.Deserialize<T>(strict ? StrictOptions : LenientOptions) ?? throw new JsonException("the object is null");
        }
        catch (JsonException e) when (strict && e.Message.Contains("could not be mapped", StringComparison.Ordinal))
        {
            throw ApiErrors.BadRequest($"strict decoding error: unknown field \"{FieldPath(e)}\"");
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            var where = e is JsonException { Path: { Length: > 1 } } je ? $" (at {FieldPath(je)})" : "";
            throw ApiErrors.BadRequest($"{type.Kind} in version \"{type.Version}\" cannot be handled as a {type.Kind}: {FirstLine(e.Message)}{where}");
        }
    }

    /// <summary>The path of the first null item of a list in <paramref name="node"/>, or null; the model has no list that may hold one.</summary>
    private static string? NullListItem(JsonNode? node, string path)
    {
        var pending = new Stack<(JsonNode? Node, string Path)>();
        pending.Push((node, path));
        while (pending.Count > 0)
        {
            var (current, at) = pending.Pop();
            switch (current)
            {
                case JsonObject obj:
                    foreach (var (name, child) in obj)
                    {
                        pending.Push((child, at.Length == 0 ? name : $"{at}.{name}"));
                    }
                    break;
                case JsonArray array:
                    for (var i = 0; i < array.Count; i++)
                    {
                        if (array[i] is null)
                        {
                            return $"{at}[{i}]";
                        }
                        pending.Push((array[i], $"{at}[{i}]"));
                    }
                    break;
            }
        }
        return null;
    }

    private static string FieldPath(JsonException e) => e.Path is { } path && path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : e.Path ?? "";

    private static string FirstLine(string message)
    {
        var cut = message.IndexOf(" Path: ", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}
