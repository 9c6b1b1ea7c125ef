using System.Collections.Concurrent;
using ImageStreams.Controllers.Streams;
using ImageStreams.Model.Image;
using ImageStreams.Model.Meta;
using ImageStreams.Resources;
using Microsoft.Extensions.Logging;

namespace ImageStreams.Controllers.Tags;

/// <summary>
/// Keeps tags whose source is another tag (<c>ImageStreamTag</c>, in this stream or any other) pointing at that
/// tag's current image, every time it moves: live, not the one-time copy OpenShift makes for tags of other streams.
/// Tags from an <c>ImageStreamImage</c> resolve their digest once it appears in the source's history.
/// </summary>
public sealed class TagTrackingController(ResourceSet resources, TimeProvider time, ILogger<TagTrackingController> logger)
    : ImageStreamController(resources.ImageStreams, time, logger, workers: 2)
{
    /// <summary>For each source stream, the streams that have tags following it.</summary>
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, bool>> followers = new();

    protected override IEnumerable<string> KeysFor(string eventType, ImageStream stream)
    {
        var key = KeyOf(stream);
        var sources = eventType == WatchEvent<ImageStream>.Deleted ? [] : Sources(stream).Select(s => s.Key).ToHashSet();
        foreach (var (source, set) in followers)
        {
            if (!sources.Contains(source))
            {
                set.TryRemove(key, out _);
            }
        }
        foreach (var source in sources)
        {
            followers.GetOrAdd(source, _ => new()).TryAdd(key, true);
        }
        var keys = followers.TryGetValue(key, out var following) ? following.Keys.ToList() : [];
        if (sources.Count > 0)
        {
            keys.Add(key);
        }
        return keys;
    }

    protected override async Task SyncAsync(string key, CancellationToken cancellationToken)
    {
        var (ns, name) = SplitKey(key);
        var stream = await resources.ImageStreams.FindAsync(ns, name, cancellationToken).ConfigureAwait(false);
        if (stream is null || !Sources(stream).Any())
        {
            return;
        }
        await resources.ImageStreams.GuaranteedUpdateAsync(ns, name, async (current, ct) =>
        {
            var updated = current;
            var cache = new Dictionary<string, ImageStream?>();
            foreach (var source in Sources(current))
            {
                var (sourceNs, sourceName) = SplitKey(source.Key);
                if (!cache.TryGetValue(source.Key, out var sourceStream))
                {
                    sourceStream = source.Key == key ? current : await resources.ImageStreams.FindAsync(sourceNs, sourceName, ct).ConfigureAwait(false);
                    cache[source.Key] = sourceStream;
                }
                var sourceEvent = sourceStream is null ? null : Resolve(sourceStream, source);
                if (sourceEvent is not null)
                {
                    updated = TagHistory.AddTagEvent(updated, source.Tag.Name, sourceEvent with
                    {
                        Generation = source.Tag.Generation ?? current.Metadata.Generation,
                    });
                }
            }
            return updated;
        }, WriteScope.Status, cancellationToken).ConfigureAwait(false);
    }

    private static TagEvent? Resolve(ImageStream source, TagSource tagSource)
    {
        if (tagSource.Digest is null)
        {
            return TagHistory.Latest(source, tagSource.SourceTag!);
        }
        var matches = (source.Status?.Tags ?? []).SelectMany(t => t.Items)
            .Where(i => i.Image == tagSource.Digest || (tagSource.Digest.Length >= 13 && i.Image.StartsWith(tagSource.Digest, StringComparison.Ordinal)))
            .DistinctBy(i => i.Image)
            .ToList();
        return matches.Count == 1 ? matches[0] : null;
    }

    /// <summary>The spec tags of a stream that follow another tag or image, with the key of the stream they follow.</summary>
    private static IEnumerable<TagSource> Sources(ImageStream stream)
    {
        foreach (var tag in stream.Spec.Tags ?? [])
        {
            if (tag.From?.Name is not { Length: > 0 } from)
            {
                continue;
            }
            var ns = string.IsNullOrEmpty(tag.From.Namespace) ? stream.Metadata.Namespace : tag.From.Namespace;
            if (tag.From.Kind == SourceKinds.ImageStreamTag)
            {
                var colon = from.LastIndexOf(':');
                var (sourceName, sourceTag) = colon < 0 ? (stream.Metadata.Name!, from) : (from[..colon], from[(colon + 1)..]);
                if (sourceName == stream.Metadata.Name && ns == stream.Metadata.Namespace && sourceTag == tag.Name)
                {
                    continue;
                }
                yield return new TagSource($"{ns}/{sourceName}", tag, sourceTag, null);
            }
            else if (tag.From.Kind == SourceKinds.ImageStreamImage)
            {
                var at = from.IndexOf('@', StringComparison.Ordinal);
                if (at > 0)
                {
                    yield return new TagSource($"{ns}/{from[..at]}", tag, null, from[(at + 1)..]);
                }
            }
        }
    }

    private sealed record TagSource(string Key, TagReference Tag, string? SourceTag, string? Digest);
}
