using System.Text.Json.Nodes;
using ImageStreams.Cli.Api;
using ImageStreams.Model.Image;
using ImageStreams.Model.Meta;
using ImageStreams.Model.Serialization;

namespace ImageStreams.Cli.Images;

/// <summary>
/// Sets one spec tag of a stream through the API: read the stream, replace or add the tag, write it back guarded by
/// its resource version, and read again when someone else wrote in between. A missing stream is created with the tag.
/// The stream is edited as JSON, so fields this client does not know survive the round trip.
/// </summary>
internal static class SpecTagWriter
{
    /// <summary>How often a write that lost a race with another writer is tried again.</summary>
    public const int MaxAttempts = 5;

    public static async Task SetAsync(ApiClient api, string ns, string streamName, TagReference tag, CancellationToken cancellationToken)
    {
        var item = ResourcePaths.Item(ResourceTypes.ImageStreams, ns, streamName);
        var tagNode = ResourceJson.ToNode(tag);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var stream = await FindAsync(api, item, cancellationToken);
                if (stream is null)
                {
                    await api.CreateAsync(ResourcePaths.Collection(ResourceTypes.ImageStreams, ns), NewStream(ns, streamName, tagNode), cancellationToken);
                    return;
                }
                await api.ReplaceAsync(item, WithTag(stream, tagNode), cancellationToken);
                return;
            }
            catch (ApiException e) when (e.Status.Reason is StatusReasons.Conflict or StatusReasons.AlreadyExists && attempt < MaxAttempts)
            {
                // Another writer got there first: start again from what it wrote.
            }
        }
    }

    /// <summary>The stream with the tag replacing the one of the same name (keeping its annotations when the new one has none), or added.</summary>
    internal static JsonObject WithTag(JsonObject stream, JsonObject tag)
    {
        var copy = stream.DeepClone().AsObject();
        if (copy["spec"] is not JsonObject spec)
        {
            copy["spec"] = spec = [];
        }
        if (spec["tags"] is not JsonArray tags)
        {
            spec["tags"] = tags = [];
        }
        var name = tag["name"]?.GetValue<string>();
        var replacement = tag.DeepClone().AsObject();
        for (var i = 0; i < tags.Count; i++)
        {
            if (tags[i] is JsonObject old && old["name"]?.GetValue<string>() == name)
            {
                if (replacement["annotations"] is null && old["annotations"] is JsonObject annotations)
                {
                    replacement["annotations"] = annotations.DeepClone();
                }
                tags[i] = replacement;
                return copy;
            }
        }
        tags.Add(replacement);
        return copy;
    }

    private static JsonObject NewStream(string ns, string name, JsonObject tag) => new()
    {
        ["apiVersion"] = ImageApi.GroupVersion,
        ["kind"] = ImageStream.KindName,
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
        ["spec"] = new JsonObject { ["tags"] = new JsonArray(tag.DeepClone()) },
    };

    private static async Task<JsonObject?> FindAsync(ApiClient api, string path, CancellationToken cancellationToken)
    {
        try
        {
            return await api.GetAsync(path, cancellationToken);
        }
        catch (ApiException e) when (e.Status.Reason == StatusReasons.NotFound)
        {
            return null;
        }
    }
}
