using System.Text.Json;
using ImageStreams.Distribution.Repositories;
using ImageStreams.Distribution.Storage;
using ImageStreams.Model.Image;
using ImageStreams.Model.Meta;
using ImageStreams.Registry.Inspection;
using ImageStreams.Registry.Manifests;
using ImageStreams.Registry.References;
using ImageStreams.Resources;
using ModelImage = ImageStreams.Model.Image.Image;

namespace ImageStreams.Distribution.Push;

/// <summary>
/// The Image record of a manifest pushed to this registry, built as an import builds one (the Registry project's
/// <see cref="ImageFactory"/>) from the manifest and its config blob, then marked as managed by this registry and
/// referenced as <c>HOST/ns/stream@digest</c>.
/// </summary>
internal sealed class PushedImages(BlobStore blobs, DistributionOptions options, IRegistryHost registryHost)
{
    public async Task<ModelImage> BuildAsync(RepositoryName repository, Manifest manifest, CancellationToken cancellationToken)
    {
        var image = manifest switch
        {
            Schema2Manifest single => await FromManifestAsync(repository, single, cancellationToken).ConfigureAwait(false),
            ManifestList list => await FromListAsync(repository, list, cancellationToken).ConfigureAwait(false),
            _ => throw new ArgumentException($"no image is built from a {manifest.MediaType} manifest", nameof(manifest)),
        };
        return image with
        {
            Metadata = image.Metadata with
            {
                Annotations = new Dictionary<string, string>(image.Metadata.Annotations ?? new Dictionary<string, string>())
                {
                    [ImageApi.ManagedByOpenShiftAnnotation] = "true",
                },
            },
            DockerImageReference = $"{registryHost.HostPort}/{repository}@{manifest.Digest}",
        };
    }

    private async Task<ModelImage> FromManifestAsync(RepositoryName repository, Schema2Manifest manifest, CancellationToken cancellationToken)
    {
        var config = MediaTypes.IsImageConfig(manifest.Config.MediaType)
            ? await blobs.ReadAsync(manifest.Config.Digest, options.MaxConfigBytes, cancellationToken).ConfigureAwait(false)
            : null;
        if (config is not null)
        {
            try
            {
                return ImageFactory.FromSchema2(Reference(repository), manifest, config, includeManifest: false);
            }
            catch (JsonException)
            {
                // Not an image configuration after all: the image is recorded with its layers and no metadata.
            }
        }
        return new ModelImage
        {
            Metadata = new ObjectMeta
            {
                Name = manifest.Digest.ToString(),
                Annotations = new Dictionary<string, string> { [ImageApi.DockerLayersOrderAnnotation] = ImageApi.LayersOrderAscending },
            },
            DockerImageMetadataVersion = ImageFactory.MetadataVersion,
            DockerImageManifestMediaType = manifest.MediaType,
            DockerImageLayers = manifest.Layers.Select(l => new ImageLayer { Name = l.Digest.ToString(), Size = l.Size, MediaType = l.MediaType }).ToList(),
        };
    }

    /// <summary>A list records its children; its creation time is the chosen child's, so it does not depend on when it was pushed.</summary>
    private async Task<ModelImage> FromListAsync(RepositoryName repository, ManifestList list, CancellationToken cancellationToken)
    {
        DateTimeOffset? created = null;
        if (list.Manifests.Count > 0)
        {
            var chosen = PlatformSelector.Select(list.Manifests, null, null);
            var bytes = await blobs.ReadAsync(chosen.Digest, options.MaxManifestBytes, cancellationToken).ConfigureAwait(false);
            if (bytes is not null && Parse(bytes, chosen.MediaType) is Schema2Manifest child)
            {
                created = (await FromManifestAsync(repository, child, cancellationToken).ConfigureAwait(false)).DockerImageMetadata?.Created;
            }
        }
        return ImageFactory.FromList(Reference(repository), list, created, includeManifest: false);
    }

    private static Manifest? Parse(byte[] bytes, string mediaType)
    {
        try
        {
            return ManifestParser.Parse(bytes, mediaType);
        }
        catch (InvalidManifestException)
        {
            return null;
        }
    }

    // Only names the repository in the reference the factory builds; BuildAsync sets the real one, whatever the host looks like.
    private ImageReference Reference(RepositoryName repository) =>
        ImageReference.TryParse($"{registryHost.HostPort}/{repository}", out var reference) ? reference : ImageReference.Parse($"localhost/{repository}");
}
