namespace ImageStreams.Model.Image;

/// <summary>
/// The rules by which a stream's status history changes. They decide whether a write is needed at all,
/// so importers and the registry stay level driven: an unchanged tag produces no write.
/// </summary>
public static class TagHistory
{
    /// <summary>
    /// Records an event as the tag's newest. The same reference and image only move the generation;
    /// a new reference or a new image alone is replaced in place; both new prepend a history item.
    /// Returns the stream unchanged (the same instance) when nothing changed.
    /// </summary>
    public static ImageStream AddTagEvent(ImageStream stream, string tag, TagEvent next)
    {
        var list = stream.StatusTag(tag);
        if (list is null || list.Items.Count == 0)
        {
            return WithTagList(stream, tag, (list ?? new NamedTagEventList { Tag = tag }) with { Items = [next] });
        }

        var previous = list.Items[0];
        var sameReference = previous.DockerImageReference == next.DockerImageReference;
        var sameImage = previous.Image == next.Image;
        TagEvent[] items;
        if (sameReference && sameImage)
        {
            if (previous.Generation == next.Generation)
            {
                return stream;
            }
            items = [previous with { Generation = next.Generation }, .. list.Items.Skip(1)];
        }
        else if (sameReference)
        {
            items = [previous with { Image = next.Image, Generation = next.Generation }, .. list.Items.Skip(1)];
        }
        else if (sameImage)
        {
            items = [previous with { DockerImageReference = next.DockerImageReference, Generation = next.Generation }, .. list.Items.Skip(1)];
        }
        else
        {
            items = [next, .. list.Items];
        }
        return WithTagList(stream, tag, list with { Items = items });
    }

    /// <summary>
    /// Sets the tag's condition of the same type. Written when type, status, reason or message differ, so a failure
    /// that repeats does not write again; a repeat that answers a newer import request (its generation is newer than
    /// the stored one's and the tag asked for it) moves only the generation, so the request counts as answered.
    /// </summary>
    public static ImageStream SetCondition(ImageStream stream, string tag, TagEventCondition condition)
    {
        var list = stream.StatusTag(tag) ?? new NamedTagEventList { Tag = tag };
        var existing = list.Conditions?.FirstOrDefault(c => c.Type == condition.Type);
        if (existing is not null && existing.Status == condition.Status && existing.Reason == condition.Reason &&
            existing.Message == condition.Message)
        {
            var requested = stream.SpecTag(tag)?.Generation ?? 0;
            if (existing.Generation >= requested || existing.Generation >= condition.Generation)
            {
                return stream;
            }
            condition = existing with { Generation = condition.Generation };
        }
        var conditions = (list.Conditions ?? []).Where(c => c.Type != condition.Type).Prepend(condition).ToList();
        return WithTagList(stream, tag, list with { Conditions = conditions });
    }

    /// <summary>Removes the tag's conditions (an import succeeded). The same instance when there were none.</summary>
    public static ImageStream ClearConditions(ImageStream stream, string tag)
    {
        var list = stream.StatusTag(tag);
        return list?.Conditions is not { Count: > 0 } ? stream : WithTagList(stream, tag, list with { Conditions = null });
    }

    /// <summary>The newest generation the status has seen for a tag: its newest item's or its import condition's.</summary>
    public static long LatestObservedGeneration(ImageStream stream, string tag)
    {
        var list = stream.StatusTag(tag);
        if (list is null)
        {
            return 0;
        }
        var generation = list.Items.Count > 0 ? list.Items[0].Generation : 0;
        var condition = list.Conditions?.FirstOrDefault(c => c.Type == TagEventConditionTypes.ImportSuccess);
        return Math.Max(generation, condition?.Generation ?? 0);
    }

    /// <summary>
    /// True when a spec tag asks for an import the status has not yet answered: it comes from a registry,
    /// is not reference only, and its generation is newer than anything observed for it.
    /// </summary>
    public static bool NeedsImport(ImageStream stream, TagReference tag) =>
        tag.From?.Kind == SourceKinds.DockerImage && !tag.Reference && tag.Generation is { } generation &&
        generation > LatestObservedGeneration(stream, tag.Name);

    /// <summary>The newest event of a tag, or null.</summary>
    public static TagEvent? Latest(ImageStream stream, string tag) =>
        stream.StatusTag(tag) is { Items.Count: > 0 } list ? list.Items[0] : null;

    /// <summary>
    /// The pull spec of an event under the tag's reference policy: <c>Local</c> points at this server's
    /// repository by digest, <c>Source</c> at the registry the image came from.
    /// </summary>
    public static string ResolveReference(ImageStream stream, string tag, TagEvent tagEvent)
    {
        var local = stream.Status?.DockerImageRepository;
        return stream.SpecTag(tag)?.ReferencePolicy.Type == ReferencePolicyTypes.Local &&
               !string.IsNullOrEmpty(local) && !string.IsNullOrEmpty(tagEvent.Image)
            ? $"{local}@{tagEvent.Image}"
            : tagEvent.DockerImageReference;
    }

    /// <summary>Distinct images over every tag's history.</summary>
    public static int UniqueImages(ImageStream stream) =>
        stream.Status?.Tags?.SelectMany(t => t.Items).Select(i => i.Image).Where(i => i.Length > 0).Distinct().Count() ?? 0;

    private static ImageStream WithTagList(ImageStream stream, string tag, NamedTagEventList list)
    {
        var tags = stream.Status?.Tags ?? [];
        var replaced = tags.Any(t => t.Tag == tag)
            ? tags.Select(t => t.Tag == tag ? list : t).ToList()
            : [.. tags, list];
        return stream with { Status = (stream.Status ?? new ImageStreamStatus()) with { Tags = replaced } };
    }
}
