using ImageStreams.Model.Image;
using ImageStreams.Model.Meta;
using ImageModel = ImageStreams.Model.Image.Image;

namespace ImageStreams.Resources.Views;

/// <summary>
/// Image stream images, <c>&lt;stream&gt;@&lt;digest&gt;</c> (get only): an image found anywhere in the stream's tag history.
/// A digest may be shortened to a unique prefix of at least <see cref="MinPrefixLength"/> hex characters.
/// </summary>
internal sealed class ImageStreamImageView(IResourceClient<ImageStream> streams, IResourceClient<ImageModel> images) : IResourceClient<ImageStreamImage>
{
    public const int MinPrefixLength = 6;

    public ResourceType Type => ResourceTypes.ImageStreamImages;

    public async ValueTask<ImageStreamImage> GetAsync(string? ns, string name, CancellationToken cancellationToken = default)
    {
        var at = name.IndexOf('@', StringComparison.Ordinal);
        if (at <= 0 || at == name.Length - 1)
        {
            throw ApiErrors.BadRequest($"{Type.Resource} must be retrieved with <name>@<id> (got \"{name}\")");
        }
        var (streamName, id) = (name[..at], name[(at + 1)..]);
        var stream = await streams.GetAsync(ns, streamName, cancellationToken).ConfigureAwait(false);
        var found = Resolve(stream, id, name);
        var image = await LoadImageAsync(images, found, cancellationToken).ConfigureAwait(false);
        return new ImageStreamImage
        {
            Metadata = new ObjectMeta
            {
                Name = $"{streamName}@{found.Image}",
                Namespace = stream.Metadata.Namespace,
                Uid = image.Metadata.Uid,
                ResourceVersion = stream.Metadata.ResourceVersion,
                CreationTimestamp = image.Metadata.CreationTimestamp ?? found.Created,
            },
            Image = image with { DockerImageManifest = null, DockerImageConfig = null },
        };
    }

    public ValueTask<ResourceList<ImageStreamImage>> ListAsync(string? ns, ListOptions? options = null, CancellationToken cancellationToken = default) =>
        throw NotSupported("list");

    public ValueTask<ImageStreamImage> CreateAsync(string? ns, ImageStreamImage obj, WriteOptions? options = null, CancellationToken cancellationToken = default) =>
        throw NotSupported("create");

    public ValueTask<ImageStreamImage> UpdateAsync(string? ns, ImageStreamImage obj, WriteOptions? options = null, CancellationToken cancellationToken = default) =>
        throw NotSupported("update");

    public ValueTask<ImageStreamImage?> DeleteAsync(string? ns, string name, DeleteOptions? options = null, CancellationToken cancellationToken = default) =>
        throw NotSupported("delete");

    public IAsyncEnumerable<WatchEvent<ImageStreamImage>> WatchAsync(string? ns, WatchOptions? options = null, CancellationToken cancellationToken = default) =>
        throw NotSupported("watch");

    /// <summary>The image object of a history item; when it is not stored, an image with just its name and reference.</summary>
    internal static async ValueTask<ImageModel> LoadImageAsync(IResourceClient<ImageModel> images, TagEvent tagEvent, CancellationToken cancellationToken)
    {
        try
        {
            return await images.GetAsync(null, tagEvent.Image, cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException e) when (e.Reason == StatusReasons.NotFound)
        {
            return new ImageModel
            {
                Metadata = new ObjectMeta { Name = tagEvent.Image },
                DockerImageReference = tagEvent.DockerImageReference,
            };
        }
    }

    private TagEvent Resolve(ImageStream stream, string id, string name)
    {
        var events = (stream.Status?.Tags ?? []).SelectMany(t => t.Items).Where(e => !string.IsNullOrEmpty(e.Image)).ToList();
        var exact = events.FirstOrDefault(e => e.Image == id);
        if (exact is not null)
        {
            return exact;
        }
        var hex = id.Contains(':', StringComparison.Ordinal) ? id[(id.IndexOf(':', StringComparison.Ordinal) + 1)..] : id;
        if (hex.Length < MinPrefixLength)
        {
            throw ApiErrors.BadRequest($"the image id \"{id}\" is too short: give at least {MinPrefixLength} hex characters of the digest");
        }
        var matches = events.Where(e => Matches(e.Image, id)).ToList();
        var distinct = matches.Select(e => e.Image).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return distinct.Count switch
        {
            0 => throw ApiErrors.NotFound(Type.GroupResource, name),
            1 => matches[0],
            _ => throw ApiErrors.Conflict(Type.GroupResource, name, $"multiple images match the prefix \"{id}\": {string.Join(", ", distinct)}"),
        };
    }

    /// <summary>A digest matches a prefix of its whole form (<c>sha256:abc...</c>) or of its hex part.</summary>
    private static bool Matches(string image, string prefix)
    {
        var colon = image.IndexOf(':', StringComparison.Ordinal);
        return image.StartsWith(prefix, StringComparison.Ordinal) ||
               (colon > 0 && image.AsSpan(colon + 1).StartsWith(prefix, StringComparison.Ordinal));
    }

    private ApiException NotSupported(string verb) => ApiErrors.MethodNotAllowed($"{verb} is not supported on {Type.GroupResource}");
}
