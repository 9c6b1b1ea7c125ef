using ImageStreams.Model.Image;
using ImageStreams.Registry.References;
using ImageStreams.Resources;
using ModelImage = ImageStreams.Model.Image.Image;

namespace ImageStreams.Distribution.Repositories;

/// <summary>Where content a stream refers to can be had, from the image's <c>dockerImageReference</c>.</summary>
/// <param name="Upstream">The image's reference when it is in another registry (it was imported); null otherwise.</param>
/// <param name="Repository">The repository of this registry the image was pushed to (or tagged from); null otherwise.</param>
/// <param name="Insecure">The tag's (or the stream's) insecure flag, for reaching <see cref="Upstream"/>.</param>
internal sealed record ContentSource(ImageReference? Upstream, RepositoryName? Repository, bool Insecure);

/// <summary>
/// What a stream's history says about content that a repository does not hold yet: which digests it may serve, and from
/// where. Only digests the history names (or the children and blobs of the images it names) are ever fetched, so the
/// registry never becomes an open proxy.
/// </summary>
internal sealed class StreamHistory(ResourceSet resources, IRegistryHost registryHost)
{
    public ValueTask<ImageStream?> FindStreamAsync(RepositoryName repository, CancellationToken cancellationToken) =>
        resources.ImageStreams.FindAsync(repository.Namespace, repository.Stream, cancellationToken);

    /// <summary>Where the image of a tag event comes from.</summary>
    public ContentSource SourceOf(ImageStream stream, string tag, TagEvent tagEvent)
    {
        var insecure = stream.SpecTag(tag)?.ImportPolicy.Insecure == true ||
                       stream.Metadata.Annotation(ImageApi.InsecureRepositoryAnnotation) == "true";
        if (!ImageReference.TryParse(tagEvent.DockerImageReference, out var reference))
        {
            return new ContentSource(null, null, insecure);
        }
        if (!string.Equals(reference.Registry, registryHost.HostPort, StringComparison.OrdinalIgnoreCase))
        {
            return new ContentSource(reference, null, insecure);
        }
        return new ContentSource(null, RepositoryName.TryParse(reference.Repository, out var repository, out _) ? repository : null, insecure);
    }

    /// <summary>The source of a manifest the history names: an image of a tag, or a child of a manifest list of a tag.</summary>
    public async Task<ContentSource?> FindManifestAsync(ImageStream stream, Digest digest, CancellationToken cancellationToken)
    {
        var name = digest.ToString();
        var events = Events(stream).ToList();
        if (events.FirstOrDefault(e => e.Event.Image == name) is { Event: not null } direct)
        {
            return SourceOf(stream, direct.Tag, direct.Event);
        }
        foreach (var (tag, tagEvent) in events)
        {
            var image = await FindImageAsync(tagEvent.Image, cancellationToken).ConfigureAwait(false);
            if (image?.DockerImageManifests?.Any(m => m.Digest == name) == true)
            {
                return SourceOf(stream, tag, tagEvent);
            }
        }
        return null;
    }

    /// <summary>The source of a blob (a layer or a config) of an image the history names, or of a child of one.</summary>
    public async Task<ContentSource?> FindBlobAsync(ImageStream stream, Digest digest, CancellationToken cancellationToken)
    {
        var name = digest.ToString();
        foreach (var (tag, tagEvent) in Events(stream))
        {
            var image = await FindImageAsync(tagEvent.Image, cancellationToken).ConfigureAwait(false);
            if (image is null)
            {
                continue;
            }
            if (Holds(image, name))
            {
                return SourceOf(stream, tag, tagEvent);
            }
            foreach (var child in image.DockerImageManifests ?? [])
            {
                if (await FindImageAsync(child.Digest, cancellationToken).ConfigureAwait(false) is { } childImage && Holds(childImage, name))
                {
                    return SourceOf(stream, tag, tagEvent);
                }
            }
        }
        return null;
    }

    /// <summary>Every tag event, newest of each tag first, one per image.</summary>
    private static IEnumerable<(string Tag, TagEvent Event)> Events(ImageStream stream) =>
        (stream.Status?.Tags ?? [])
            .SelectMany(list => list.Items.Select((item, index) => (list.Tag, Item: item, Index: index)))
            .OrderBy(e => e.Index)
            .Where(e => e.Item.Image.Length > 0)
            .DistinctBy(e => e.Item.Image)
            .Select(e => (e.Tag, e.Item));

    private static bool Holds(ModelImage image, string digest) =>
        image.DockerImageMetadata?.Id == digest || image.DockerImageLayers?.Any(l => l.Name == digest) == true;

    private ValueTask<ModelImage?> FindImageAsync(string name, CancellationToken cancellationToken) =>
        resources.Images.FindAsync(null, name, cancellationToken);
}
