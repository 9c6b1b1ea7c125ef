using ImageStreams.Model.Image;
using ImageStreams.Model.Meta;

namespace ImageStreams.Model.Build;

/// <summary>One tag of one image stream: <c>namespace/stream:tag</c>.</summary>
public sealed record StreamTagKey(string Namespace, string Stream, string Tag)
{
    /// <summary>The stream's key, <c>namespace/stream</c>.</summary>
    public string StreamKey => $"{Namespace}/{Stream}";

    /// <summary><c>stream:tag</c>, as an ImageStreamTag reference names it inside its namespace.</summary>
    public string Name => $"{Stream}:{Tag}";

    public override string ToString() => $"{Namespace}/{Stream}:{Tag}";

    /// <summary>The tag an ImageStreamTag reference (<c>stream:tag</c>, its namespace defaulting to <paramref name="ns"/>) names; null for other kinds.</summary>
    public static StreamTagKey? Of(ObjectReference? reference, string? ns)
    {
        if (reference is not { Kind: SourceKinds.ImageStreamTag, Name: { Length: > 0 } name })
        {
            return null;
        }
        var colon = name.LastIndexOf(':');
        if (colon <= 0 || colon == name.Length - 1)
        {
            return null;
        }
        var space = string.IsNullOrEmpty(reference.Namespace) ? ns : reference.Namespace;
        return string.IsNullOrEmpty(space) ? null : new StreamTagKey(space, name[..colon], name[(colon + 1)..]);
    }
}

/// <summary>An image change trigger of a BuildConfig and the tag it watches (its from, or the strategy's from).</summary>
public sealed record WatchedTag(BuildTriggerPolicy Trigger, StreamTagKey Tag)
{
    public bool Paused => Trigger.ImageChange?.Paused == true;
}

/// <summary>What the triggers of a BuildConfig watch and where its builds go, by the rules of image change triggers.</summary>
public static class BuildTriggers
{
    /// <summary>An annotation with the value <c>false</c> keeps the trigger controller from adding triggers found in the Dockerfile.</summary>
    public const string DiscoverAnnotation = "triggers.imagestreams.io/discover";

    /// <summary>The tags (<c>ns/stream:tag</c>, comma separated) whose triggers were added because the Dockerfile's final FROM names them.</summary>
    public const string DiscoveredAnnotation = "triggers.imagestreams.io/discovered";

    /// <summary>The cause recorded on the first build of a BuildConfig with a ConfigChange trigger (OpenShift's words).</summary>
    public const string ConfigChangeCause = "Build configuration change";

    /// <summary>The ImageChange triggers of a config with the tag each watches; triggers whose tag cannot be named are left out.</summary>
    public static IReadOnlyList<WatchedTag> Watched(BuildConfig config)
    {
        var ns = config.Metadata.Namespace;
        var result = new List<WatchedTag>();
        foreach (var trigger in config.Spec.Triggers ?? [])
        {
            if (trigger.Type != BuildTriggerTypes.ImageChange)
            {
                continue;
            }
            var tag = StreamTagKey.Of(trigger.ImageChange?.From ?? config.Spec.Strategy.From, ns);
            if (tag is not null && result.All(w => w.Tag != tag))
            {
                result.Add(new WatchedTag(trigger, tag));
            }
        }
        return result;
    }

    /// <summary>The tag a config's builds push to, or null when they go to a DockerImage.</summary>
    public static StreamTagKey? Output(BuildConfig config) => StreamTagKey.Of(config.Spec.Output.To, config.Metadata.Namespace);

    public static bool HasConfigChangeTrigger(BuildConfig config) =>
        config.Spec.Triggers?.Any(t => t.Type == BuildTriggerTypes.ConfigChange) == true;

    /// <summary>The image recorded as last triggered for <paramref name="tag"/>, or null when the trigger never fired.</summary>
    public static string? LastTriggered(BuildConfig config, StreamTagKey tag) =>
        config.Status?.ImageChangeTriggers?.FirstOrDefault(s => Matches(s.From, tag, config.Metadata.Namespace))?.LastTriggeredImageId;

    /// <summary>True when a status entry names <paramref name="tag"/>.</summary>
    public static bool Matches(ImageStreamTagReference? from, StreamTagKey tag, string? ns) =>
        from is not null && from.Name == tag.Name && (string.IsNullOrEmpty(from.Namespace) ? ns : from.Namespace) == tag.Namespace;

    /// <summary>The image a tag resolves to for triggers: its newest history item with the reference policy applied; null when it has none.</summary>
    public static string? Resolve(ImageStream stream, string tag) =>
        TagHistory.Latest(stream, tag) is { } latest ? TagHistory.ResolveReference(stream, tag, latest) : null;
}
