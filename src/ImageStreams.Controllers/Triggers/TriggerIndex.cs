using System.Collections.Concurrent;
using ImageStreams.Model.Build;

namespace ImageStreams.Controllers.Triggers;

/// <summary>
/// Which BuildConfigs watch which tags, kept current from BuildConfig events, and the image each watched tag resolved to
/// when last seen, so a stream event names exactly the configs whose tag moved. Safe for one writer per kind of event
/// (the BuildConfig watch, the stream watch) with readers beside them.
/// </summary>
internal sealed class TriggerIndex
{
    private readonly object gate = new();
    private readonly Dictionary<string, BuildConfig> configs = [];
    private readonly Dictionary<StreamTagKey, HashSet<string>> dependents = [];
    private readonly Dictionary<string, HashSet<StreamTagKey>> tagsByStream = [];
    private readonly ConcurrentDictionary<StreamTagKey, string> lastSeen = new();

    public static string KeyOf(BuildConfig config) => $"{config.Metadata.Namespace}/{config.Metadata.Name}";

    /// <summary>Records a config's triggers (replacing what it had) or removes it when <paramref name="deleted"/>.</summary>
    public void Update(BuildConfig config, bool deleted)
    {
        var key = KeyOf(config);
        lock (gate)
        {
            if (configs.Remove(key, out var old))
            {
                foreach (var watched in BuildTriggers.Watched(old))
                {
                    Unlink(watched.Tag, key);
                }
            }
            if (deleted)
            {
                return;
            }
            configs[key] = config;
            foreach (var watched in BuildTriggers.Watched(config))
            {
                if (!dependents.TryGetValue(watched.Tag, out var set))
                {
                    dependents[watched.Tag] = set = [];
                    if (!tagsByStream.TryGetValue(watched.Tag.StreamKey, out var tags))
                    {
                        tagsByStream[watched.Tag.StreamKey] = tags = [];
                    }
                    tags.Add(watched.Tag);
                }
                set.Add(key);
            }
        }
    }

    /// <summary>
    /// The configs to sync after an event of the stream <paramref name="streamKey"/>: those watching a tag whose resolved
    /// image differs from the one last seen. <paramref name="resolve"/> gives a tag's image now (null: none).
    /// </summary>
    public IReadOnlyList<string> Moved(string streamKey, Func<string, string?> resolve)
    {
        List<(StreamTagKey Tag, List<string> Configs)> watched;
        lock (gate)
        {
            if (!tagsByStream.TryGetValue(streamKey, out var tags))
            {
                return [];
            }
            watched = tags.Select(t => (t, dependents[t].ToList())).ToList();
        }
        var keys = new List<string>();
        foreach (var (tag, configsOfTag) in watched)
        {
            var image = resolve(tag.Tag);
            if (image is null)
            {
                continue;
            }
            var previous = lastSeen.GetValueOrDefault(tag);
            if (previous == image)
            {
                continue;
            }
            lastSeen[tag] = image;
            keys.AddRange(configsOfTag);
        }
        return keys;
    }

    /// <summary>Every config known, for cycle checks.</summary>
    public IReadOnlyList<BuildConfig> Configs()
    {
        lock (gate)
        {
            return [.. configs.Values];
        }
    }

    /// <summary>The configs watching a tag, for tests and descriptions.</summary>
    public IReadOnlyList<string> Dependents(StreamTagKey tag)
    {
        lock (gate)
        {
            return dependents.TryGetValue(tag, out var set) ? [.. set.Order(StringComparer.Ordinal)] : [];
        }
    }

    private void Unlink(StreamTagKey tag, string key)
    {
        if (!dependents.TryGetValue(tag, out var set))
        {
            return;
        }
        set.Remove(key);
        if (set.Count == 0)
        {
            dependents.Remove(tag);
            lastSeen.TryRemove(tag, out _);
            if (tagsByStream.TryGetValue(tag.StreamKey, out var tags) && tags.Remove(tag) && tags.Count == 0)
            {
                tagsByStream.Remove(tag.StreamKey);
            }
        }
    }
}
