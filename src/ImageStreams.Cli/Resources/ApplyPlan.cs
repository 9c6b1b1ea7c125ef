using System.Text.Json.Nodes;

namespace ImageStreams.Cli.Resources;

/// <summary>
/// How <c>isctl apply</c> decides, without kubectl's three-way merge:
/// <list type="bullet">
/// <item>fields the server owns (uid, resourceVersion, selfLink, creationTimestamp, generation, status) are dropped from the file;</item>
/// <item>the object is unchanged when every field the file sets already has that value on the server (fields the server
/// defaulted or added are ignored), and its labels are exactly the file's;</item>
/// <item>otherwise the file's object replaces the server's (PUT with the current resourceVersion), keeping only the
/// annotations the file does not mention, since the server stamps some (openshift.io/image.dockerRepositoryCheck).</item>
/// </list>
/// </summary>
internal static class ApplyPlan
{
    private static readonly string[] ServerOwnedMetadata = ["uid", "resourceVersion", "selfLink", "creationTimestamp", "generation"];

    /// <summary>The object to send: a copy of the file's without server-owned fields, in the target namespace.</summary>
    public static JsonObject Desired(Manifest manifest, string? ns)
    {
        var obj = manifest.Object.DeepClone().AsObject();
        obj.Remove("status");
        if (obj["metadata"] is not JsonObject metadata)
        {
            metadata = [];
            obj["metadata"] = metadata;
        }
        foreach (var field in ServerOwnedMetadata)
        {
            metadata.Remove(field);
        }
        if (manifest.Type.Namespaced && ns is not null)
        {
            metadata["namespace"] = ns;
        }
        return obj;
    }

    public static bool IsUnchanged(JsonObject desired, JsonObject current)
    {
        var desiredMeta = desired["metadata"] as JsonObject;
        var currentMeta = current["metadata"] as JsonObject;
        if (!SameMap(desiredMeta?["labels"], currentMeta?["labels"]))
        {
            return false;
        }
        foreach (var (key, value) in desired)
        {
            if (key is "apiVersion" or "kind")
            {
                continue;
            }
            var other = current[key];
            var matches = key == "metadata"
                ? Covers(WithoutLabels(value), WithoutLabels(other))
                : Covers(value, other);
            if (!matches)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>The body of the PUT: the desired object at the server's resourceVersion, keeping annotations the file leaves out.</summary>
    public static JsonObject ForUpdate(JsonObject desired, JsonObject current)
    {
        var update = desired.DeepClone().AsObject();
        var metadata = update["metadata"]!.AsObject();
        var currentMeta = current["metadata"] as JsonObject;
        metadata["resourceVersion"] = currentMeta?["resourceVersion"]?.DeepClone();
        if (currentMeta?["annotations"] is JsonObject kept && kept.Count > 0)
        {
            var annotations = metadata["annotations"] as JsonObject ?? [];
            foreach (var (key, value) in kept)
            {
                if (!annotations.ContainsKey(key))
                {
                    annotations[key] = value?.DeepClone();
                }
            }
            metadata["annotations"] = annotations;
        }
        return update;
    }

    /// <summary>True when every value set in <paramref name="wanted"/> is also in <paramref name="actual"/>.</summary>
    internal static bool Covers(JsonNode? wanted, JsonNode? actual)
    {
        switch (wanted)
        {
            case null:
                return true;
            case JsonObject obj:
                if (actual is not JsonObject actualObj)
                {
                    return obj.Count == 0 && actual is null;
                }
                return obj.All(p => Covers(p.Value, actualObj[p.Key]));
            case JsonArray array:
                if (actual is not JsonArray actualArray)
                {
                    return array.Count == 0 && actual is null;
                }
                return array.Count == actualArray.Count && array.Select((item, i) => Covers(item, actualArray[i])).All(x => x);
            default:
                return JsonNode.DeepEquals(wanted, actual);
        }
    }

    private static JsonNode? WithoutLabels(JsonNode? metadata)
    {
        if (metadata is not JsonObject obj)
        {
            return metadata;
        }
        var copy = obj.DeepClone().AsObject();
        copy.Remove("labels");
        return copy;
    }

    private static bool SameMap(JsonNode? a, JsonNode? b) =>
        JsonNode.DeepEquals(a as JsonObject ?? [], b as JsonObject ?? []);
}
