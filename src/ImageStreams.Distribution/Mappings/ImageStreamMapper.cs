using ImageStreams.Model.Image;
using ImageStreams.Model.Meta;
using ImageStreams.Model.Validation;
using ImageStreams.Resources;

namespace ImageStreams.Distribution.Mappings;

/// <summary>
/// Carries out an ImageStreamMapping as OpenShift does: stores the image (an existing one is kept), then records it as
/// the tag's newest event with the stream's current generation, creating the stream when there is none. The status
/// write wakes every watcher of the stream; writing the same image again changes nothing.
/// </summary>
public sealed class ImageStreamMapper(ResourceSet resources, TimeProvider time)
{
    /// <summary>Maps <paramref name="mapping"/> into stream <c>mapping.metadata.name</c> of <paramref name="ns"/>; returns the stream as stored.</summary>
    public async Task<ImageStream> MapAsync(string ns, ImageStreamMapping mapping, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(mapping);
        Validate(ns, mapping);
        await resources.Namespaces.GetAsync(null, ns, cancellationToken).ConfigureAwait(false);
        var image = mapping.Image;
        var imageName = image.Metadata.Name!;
        await StoreImageAsync(image, cancellationToken).ConfigureAwait(false);

        var name = mapping.Metadata.Name!;
        var now = time.GetUtcNow();
        TagEvent Event(long generation) => new()
        {
            Created = now,
            DockerImageReference = image.DockerImageReference!,
            Image = imageName,
            Generation = generation,
        };
        if (await resources.ImageStreams.FindAsync(ns, name, cancellationToken).ConfigureAwait(false) is null)
        {
            try
            {
                // A new stream starts at generation 1.
                var created = TagHistory.AddTagEvent(new ImageStream { Metadata = new ObjectMeta { Name = name, Namespace = ns } }, mapping.Tag, Event(1));
                return await resources.ImageStreams.CreateAsync(ns, created, new WriteOptions(WriteScope.All), cancellationToken).ConfigureAwait(false);
            }
            catch (ApiException e) when (e.Reason == StatusReasons.AlreadyExists)
            {
                // Created meanwhile by another writer: add the event to it like to any stream.
            }
        }
        return await resources.ImageStreams.GuaranteedUpdateAsync(
            ns, name, stream => TagHistory.AddTagEvent(stream, mapping.Tag, Event(stream.Metadata.Generation)), WriteScope.Status, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stores an image unless one of its name exists (images are named by digest, so that one has the same content).</summary>
    public async Task StoreImageAsync(Image image, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (await resources.Images.FindAsync(null, image.Metadata.Name!, cancellationToken).ConfigureAwait(false) is not null)
        {
            return;
        }
        try
        {
            await resources.Images.CreateAsync(null, image with { Metadata = image.Metadata with { Namespace = null } }, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException e) when (e.Reason == StatusReasons.AlreadyExists)
        {
        }
    }

    private static void Validate(string ns, ImageStreamMapping mapping)
    {
        var errors = new List<FieldError>(Names.ValidateNamespaceName(ns, "metadata.namespace"));
        errors.AddRange(Names.ValidateSubdomainName(mapping.Metadata.Name));
        errors.AddRange(Names.ValidateTagName(mapping.Tag, "tag"));
        if (string.IsNullOrEmpty(mapping.Image.Metadata.Name))
        {
            errors.Add(FieldError.MissingValue("image.metadata.name"));
        }
        if (string.IsNullOrEmpty(mapping.Image.DockerImageReference))
        {
            errors.Add(FieldError.MissingValue("image.dockerImageReference"));
        }
        if (errors.Count > 0)
        {
            throw ApiErrors.Invalid(ImageStreamMapping.KindName, ImageApi.Group, mapping.Metadata.Name ?? "", errors);
        }
    }
}
