using System.Text.Json;
using System.Text.Json.Nodes;
using ImageStreams.Model.Meta;

namespace ImageStreams.Resources.Patching;

/// <summary>
/// Kubernetes' strategic merge patch, for the lists this API knows: a merge patch in which lists with a merge key
/// (image stream <c>spec.tags</c> by <c>name</c>, <c>status.tags</c> by <c>tag</c>, a workload's containers by <c>name</c>)
/// merge element by element, and the directives <c>$patch: delete</c> (an element or a map), <c>$patch: replace</c> (a
/// list or a map) and <c>$deleteFromPrimitiveList</c> apply. Ordering directives (<c>$setElementOrder</c>, <c>$retainKeys</c>) are accepted
/// and ignored. Other lists are replaced, as for types without merge keys.
/// </summary>
public static class StrategicMergePatch
{
    private const string PatchDirective = "$patch";
    private const string DeleteFromPrimitiveList = "$deleteFromPrimitiveList/";

    /// <summary>Merge keys by the dotted path of the list (array indices left out).</summary>
    public static IReadOnlyDictionary<string, string> MergeKeys(ResourceType type) => type.Resource switch
    {
        "imagestreams" => new Dictionary<string, string>
        {
            ["spec.tags"] = "name",
            ["status.tags"] = "tag",
            ["status.tags.conditions"] = "type",
        },
        "imagestreamtags" => new Dictionary<string, string> { ["conditions"] = "type" },
        "buildconfigs" => new Dictionary<string, string>
        {
            ["spec.strategy.dockerStrategy.env"] = "name",
            ["spec.strategy.dockerStrategy.buildArgs"] = "name",
            ["spec.strategy.sourceStrategy.env"] = "name",
        },
        "deployments" or "statefulsets" or "daemonsets" => PodSpecKeys("spec.template.spec"),
        "cronjobs" => PodSpecKeys("spec.jobTemplate.spec.template.spec"),
        _ => new Dictionary<string, string>(),
    };

    /// <summary>The merge keys Kubernetes gives the lists of a pod spec at <paramref name="podSpec"/>.</summary>
    private static Dictionary<string, string> PodSpecKeys(string podSpec)
    {
        var keys = new Dictionary<string, string>
        {
            [$"{podSpec}.volumes"] = "name",
            [$"{podSpec}.imagePullSecrets"] = "name",
        };
        foreach (var list in new[] { "containers", "initContainers" })
        {
            keys[$"{podSpec}.{list}"] = "name";
            keys[$"{podSpec}.{list}.ports"] = "containerPort";
            keys[$"{podSpec}.{list}.env"] = "name";
            keys[$"{podSpec}.{list}.volumeMounts"] = "mountPath";
        }
        return keys;
    }

    public static JsonObject Apply(JsonObject target, JsonObject patch, IReadOnlyDictionary<string, string> mergeKeys) =>
        MergeObject(target, patch, "", mergeKeys) ?? [];

    private static JsonObject? MergeObject(JsonObject? target, JsonObject patch, string path, IReadOnlyDictionary<string, string> keys)
    {
        switch (Directive(patch))
        {
            case "delete":
                return null;
            case "replace":
                var replacement = (JsonObject)patch.DeepClone();
                replacement.Remove(PatchDirective);
                return replacement;
            case { } other:
                throw ApiErrors.BadRequest($"unknown patch directive \"{other}\" at {DisplayPath(path)}");
        }
        var result = target is null ? [] : (JsonObject)target.DeepClone();
        foreach (var (key, value) in patch)
        {
            if (key.StartsWith("$setElementOrder/", StringComparison.Ordinal) || key == "$retainKeys")
            {
                continue;
            }
            if (key.StartsWith(DeleteFromPrimitiveList, StringComparison.Ordinal))
            {
                var field = key[DeleteFromPrimitiveList.Length..];
                if (result[field] is JsonArray list && value is JsonArray remove)
                {
                    var removed = remove.Select(v => v?.ToJsonString()).ToHashSet();
                    result[field] = new JsonArray(list.Where(v => !removed.Contains(v?.ToJsonString())).Select(v => v?.DeepClone()).ToArray());
                }
                continue;
            }
            var childPath = path.Length == 0 ? key : $"{path}.{key}";
            switch (value)
            {
                case null:
                    result.Remove(key);
                    break;
                case JsonObject patchChild:
                    var merged = MergeObject(result[key] as JsonObject, patchChild, childPath, keys);
                    if (merged is null)
                    {
                        result.Remove(key);
                    }
                    else
                    {
                        result[key] = merged;
                    }
                    break;
                case JsonArray patchList when keys.TryGetValue(childPath, out var mergeKey):
                    result[key] = MergeList(result[key] as JsonArray, patchList, childPath, mergeKey, keys);
                    break;
                default:
                    result[key] = value.DeepClone();
                    break;
            }
        }
        return result;
    }

    private static JsonArray MergeList(JsonArray? target, JsonArray patch, string path, string mergeKey, IReadOnlyDictionary<string, string> keys)
    {
        if (patch.Any(e => e is JsonObject o && Directive(o) == "replace"))
        {
            return new JsonArray(patch.Where(e => e is not JsonObject o || Directive(o) != "replace").Select(e => e?.DeepClone()).ToArray());
        }
        var result = target is null ? [] : target.Select(e => e?.DeepClone()).ToList();
        foreach (var element in patch)
        {
            if (element is not JsonObject patchElement || KeyOf(patchElement, mergeKey) is not { } key)
            {
                throw ApiErrors.BadRequest($"the elements of {DisplayPath(path)} must be objects with the merge key \"{mergeKey}\"");
            }
            var index = result.FindIndex(e => e is JsonObject o && KeyOf(o, mergeKey) == key);
            if (Directive(patchElement) == "delete")
            {
                if (index >= 0)
                {
                    result.RemoveAt(index);
                }
                continue;
            }
            if (index >= 0)
            {
                result[index] = MergeObject(result[index] as JsonObject, patchElement, path, keys);
            }
            else
            {
                result.Add(MergeObject(null, patchElement, path, keys));
            }
        }
        return new JsonArray(result.Where(e => e is not null).ToArray());
    }

    private static string? KeyOf(JsonObject element, string mergeKey) =>
        element[mergeKey] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : element[mergeKey]?.ToJsonString();

    private static string? Directive(JsonObject obj) =>
        obj[PatchDirective] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    private static string DisplayPath(string path) => path.Length == 0 ? "the top level" : path;
}
