using System.Globalization;
using ImageStreams.Cli.Images;
using ImageStreams.Model.Image;
using ImageStreams.Model.Meta;

namespace ImageStreams.Cli.Printers;

/// <summary>
/// <c>isctl describe is</c> in oc's layout: the stream's metadata and repository, then one block per tag with where
/// it comes from, its import state and its history, newest first.
/// </summary>
internal static class ImageStreamDescriber
{
    private const string None = "<none>";

    /// <param name="schedule">The server's scheduled-import state of the stream's tags, when it has any to tell.</param>
    /// <param name="triggered">Per tag, what its moves trigger (BuildConfigs), when known.</param>
    public static string Describe(
        ImageStream stream, DateTimeOffset now, ImageStreamSchedule? schedule = null, IReadOnlyDictionary<string, IReadOnlyList<string>>? triggered = null)
    {
        var text = new TabbedText();
        WriteMeta(text, stream.Metadata, now);
        WriteField(text, "Image Repository",
            NonEmpty(stream.Status?.PublicDockerImageRepository) ?? stream.Status?.DockerImageRepository ?? "");
        text.Line($"Image Lookup:\tlocal={(stream.Spec.LookupPolicy.Local ? "true" : "false")}");
        WriteTags(text, stream, now, schedule, triggered);
        return text.ToString();
    }

    /// <summary>Name, Namespace, Created, Labels, Description and Annotations, as every oc describer starts.</summary>
    internal static void WriteMeta(TabbedText text, ObjectMeta metadata, DateTimeOffset now)
    {
        WriteField(text, "Name", metadata.Name ?? "");
        if (!string.IsNullOrEmpty(metadata.Namespace))
        {
            WriteField(text, "Namespace", metadata.Namespace);
        }
        if (metadata.CreationTimestamp is { } created)
        {
            text.Line($"Created:\t{Ages.Ago(created, now)}");
        }
        WriteMap(text, "Labels", metadata.Labels);
        WriteAnnotations(text, metadata.Annotations);
    }

    /// <summary>The "description" annotation on its own line, then the other annotations.</summary>
    internal static void WriteAnnotations(TabbedText text, IReadOnlyDictionary<string, string>? annotations)
    {
        annotations ??= new Dictionary<string, string>();
        if (annotations.TryGetValue("description", out var description) && description.Length > 0)
        {
            WriteField(text, "Description", description);
        }
        WriteMap(text, "Annotations", annotations.Where(a => a.Key != "description").ToDictionary());
    }

    /// <summary>"Label:" and the value, one cell per line of a multi-line value; empty values print as &lt;none&gt;.</summary>
    internal static void WriteField(TabbedText text, string label, string value)
    {
        var lines = (value.Length == 0 ? None : value).Split('\n');
        text.Line($"{label}:\t{lines[0]}");
        foreach (var line in lines.Skip(1))
        {
            text.Line($"\t{line}");
        }
    }

    /// <summary>key=value pairs in key order, one per line.</summary>
    internal static void WriteMap(TabbedText text, string label, IReadOnlyDictionary<string, string>? map)
    {
        var keys = (map?.Keys ?? []).Order(StringComparer.Ordinal).ToList();
        if (keys.Count == 0)
        {
            WriteField(text, label, "");
            return;
        }
        WriteField(text, label, $"{keys[0]}={map![keys[0]]}");
        foreach (var key in keys.Skip(1))
        {
            text.Line($"\t{key}={map![key]}");
        }
    }

    private static void WriteTags(
        TabbedText text, ImageStream stream, DateTimeOffset now, ImageStreamSchedule? schedule, IReadOnlyDictionary<string, IReadOnlyList<string>>? triggered)
    {
        var specTags = stream.Spec.Tags ?? [];
        var statusTags = stream.Status?.Tags ?? [];
        if (specTags.Count == 0 && statusTags.Count == 0)
        {
            text.Line($"Tags:\t{None}");
            return;
        }

        // Tags that follow another tag of this stream are shown in that tag's header ("2.7 (latest)"), not on their own.
        var followers = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var folded = new HashSet<string>(StringComparer.Ordinal);
        foreach (var tag in specTags)
        {
            if (TagReferences.Follow(stream, tag.Name) is { Error: FollowError.None, Multiple: true, FinalTag: var target })
            {
                folded.Add(tag.Name);
                if (!followers.TryGetValue(target, out var list))
                {
                    followers[target] = list = [];
                }
                list.Add(tag.Name);
            }
        }

        var names = statusTags.Select(t => t.Tag).Concat(specTags.Select(t => t.Name)).Distinct(StringComparer.Ordinal).ToList();
        text.Line($"Unique Images:\t{UniqueImages(stream).ToString(CultureInfo.InvariantCulture)}");
        text.Line($"Tags:\t{names.Count.ToString(CultureInfo.InvariantCulture)}");
        text.Line();

        var first = true;
        foreach (var name in TagOrdering.Prioritize(names))
        {
            if (folded.Contains(name))
            {
                continue;
            }
            if (!first)
            {
                text.Line();
            }
            first = false;
            var header = followers.TryGetValue(name, out var refs) ? $"{name} ({string.Join(", ", TagOrdering.Prioritize(refs))})" : name;
            text.Line(header);
            WriteTag(text, stream, stream.SpecTag(name), stream.StatusTag(name), now,
                schedule is { Enabled: true } ? schedule.Tags.FirstOrDefault(t => t.Tag == name) : null, schedule?.Now ?? now,
                triggered is not null && triggered.TryGetValue(name, out var targets) ? targets : null);
        }
    }

    private static void WriteTag(
        TabbedText text, ImageStream stream, TagReference? spec, NamedTagEventList? history, DateTimeOffset now,
        TagSchedule? schedule, DateTimeOffset serverNow, IReadOnlyList<string>? triggers)
    {
        text.Line(Source(stream, spec));
        if (schedule is not null)
        {
            WriteSchedule(text, schedule, serverNow);
        }
        if (triggers is { Count: > 0 })
        {
            text.Line($"    triggers {string.Join(", ", triggers.Order(StringComparer.Ordinal))}");
        }
        if (spec?.ImportPolicy.Insecure == true)
        {
            text.Line("    will use insecure HTTPS or HTTP connections");
        }
        if (spec?.ReferencePolicy.Type == ReferencePolicyTypes.Local)
        {
            text.Line("    prefer registry pullthrough when referencing this tag");
        }
        text.Line();

        if (WriteTagAnnotations(text, spec?.Annotations))
        {
            text.Line();
        }
        if (spec is { From: not null, Reference: false, Generation: { } generation } && generation > ObservedGeneration(history))
        {
            text.Line("  ~ importing latest image ...");
        }
        foreach (var condition in history?.Conditions ?? [])
        {
            if (condition.Type == TagEventConditionTypes.ImportSuccess && condition.Status == "False")
            {
                text.Line($"  ! error: Import failed ({condition.Reason}): {condition.Message}");
                if (condition.LastTransitionTime is { } failedAt)
                {
                    text.Line($"      {Ages.Ago(failedAt, now)}");
                }
            }
        }
        var items = history?.Items ?? [];
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            text.Line((i == 0 ? "  * " : "    ") + item.DockerImageReference);
            // The image name is shown only when the reference does not already end in it.
            var at = item.DockerImageReference.IndexOf('@', StringComparison.Ordinal);
            var digest = at >= 0 ? item.DockerImageReference[(at + 1)..] : "";
            text.Line(item.Image.Length > 0 && item.Image != digest
                ? $"      {Ages.Ago(item.Created, now)}\t{item.Image}"
                : $"      {Ages.Ago(item.Created, now)}");
        }
    }

    /// <summary>
    /// When a scheduled tag was last checked and will be next, against the server's clock; a failing tag's next retry and
    /// error, and a registry that asked us to slow down.
    /// </summary>
    internal static void WriteSchedule(TabbedText text, TagSchedule schedule, DateTimeOffset serverNow)
    {
        var parts = new List<string>();
        if (schedule.LastChecked is { } last)
        {
            parts.Add($"last checked {Ages.Ago(last, serverNow).ToLowerInvariant()}");
        }
        if (schedule.ConsecutiveFailures == 0 && schedule.NextCheck is { } next)
        {
            parts.Add($"next check {Ages.In(next, serverNow)}");
        }
        if (parts.Count > 0)
        {
            text.Line("    " + string.Join(", ", parts));
        }
        if (schedule.ConsecutiveFailures > 0)
        {
            var retry = schedule.NextRetry ?? schedule.NextCheck;
            var when = retry is { } at ? $", next retry {Ages.In(at, serverNow)}" : "";
            var times = schedule.ConsecutiveFailures == 1 ? "once" : $"{schedule.ConsecutiveFailures.ToString(CultureInfo.InvariantCulture)} times in a row";
            text.Line($"    ! check failed {times}{when}: {schedule.LastError}");
        }
        if (schedule.RegistryPausedUntil is { } paused && paused > serverNow)
        {
            text.Line($"    registry asked to slow down (429): checks resume {Ages.In(paused, serverNow)}");
        }
    }

    /// <summary>The line saying where a tag's images come from.</summary>
    private static string Source(ImageStream stream, TagReference? spec)
    {
        if (spec is null)
        {
            return "  no spec tag";
        }
        if (spec.From is not { } from)
        {
            return "  tag without source image";
        }
        var name = !string.IsNullOrEmpty(from.Namespace) && from.Namespace != stream.Metadata.Namespace ? $"{from.Namespace}/{from.Name}" : from.Name;
        var scheduled = spec.ImportPolicy.Scheduled;
        return from.Kind switch
        {
            SourceKinds.ImageStreamTag when spec.Reference => $"  reference to {name}",
            SourceKinds.ImageStreamTag when scheduled => $"  updates automatically from {name}",
            SourceKinds.ImageStreamTag => $"  tagged from {name}",
            SourceKinds.DockerImage when spec.Reference => $"  reference to registry {name}",
            SourceKinds.DockerImage when scheduled => $"  updates automatically from registry {name}",
            SourceKinds.DockerImage => $"  tagged from {name}",
            SourceKinds.ImageStreamImage when spec.Reference => $"  reference to image {name}",
            SourceKinds.ImageStreamImage => $"  tagged from {name}",
            _ when spec.Reference => $"  reference to {from.Kind} {name}",
            _ => $"  updates from {from.Kind} {name}",
        };
    }

    /// <summary>The descriptive annotations oc shows under a tag (sample image streams carry them); true when any was written.</summary>
    private static bool WriteTagAnnotations(TabbedText text, IReadOnlyDictionary<string, string>? annotations)
    {
        if (annotations is null)
        {
            return false;
        }
        var written = false;
        void Write(string key, Func<string, string> format)
        {
            if (annotations.TryGetValue(key, out var value) && value.Length > 0)
            {
                text.Line("  " + format(value));
                written = true;
            }
        }
        Write("description", d => d);
        Write("tags", t => "Tags: " + string.Join(", ", t.Split(',')));
        Write("supports", s => "Supports: " + string.Join(", ", s.Split(',')));
        Write("sampleRepo", r => "Example Repo: " + r);
        return written;
    }

    /// <summary>
    /// Distinct images over the status history, by digest. An item without an image name counts by the digest of its
    /// reference (<c>repo@sha256:...</c>), so a reference-only tag to an image another tag imported counts once; an
    /// item that names neither (a reference to <c>repo:tag</c>) identifies no image and is not counted. oc instead
    /// counts all digest-less items together as one image.
    /// </summary>
    internal static int UniqueImages(ImageStream stream) =>
        (stream.Status?.Tags ?? [])
        .SelectMany(t => t.Items)
        .Select(ImageKey)
        .Where(key => key.Length > 0)
        .Distinct(StringComparer.Ordinal)
        .Count();

    private static string ImageKey(TagEvent item)
    {
        if (item.Image.Length > 0)
        {
            return item.Image;
        }
        var at = item.DockerImageReference.IndexOf('@', StringComparison.Ordinal);
        return at >= 0 ? item.DockerImageReference[(at + 1)..] : "";
    }

    /// <summary>The newest generation the importer has answered for a tag, by an image or by a condition.</summary>
    private static long ObservedGeneration(NamedTagEventList? history)
    {
        var observed = history?.Items.Count > 0 ? history.Items[0].Generation : 0;
        var condition = history?.Conditions?.FirstOrDefault(c => c.Type == TagEventConditionTypes.ImportSuccess);
        return Math.Max(observed, condition?.Generation ?? 0);
    }

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
