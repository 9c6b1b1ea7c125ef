using System.Text.Json;
using ImageStreams.Registry.Client;
using ImageStreams.Registry.Errors;
using ImageStreams.Registry.Manifests;
using ImageStreams.Registry.References;
using ModelImage = ImageStreams.Model.Image.Image;

namespace ImageStreams.Registry.Inspection;

/// <summary>
/// Reads what a reference points at as OpenShift's importer does: GET the manifest, GET the config, and for a
/// manifest list either the chosen child (Legacy) or every child (PreserveOriginal).
/// </summary>
public sealed class ImageInspector(IRegistryClient client, ImageInspectorOptions? options = null) : IImageInspector
{
    private readonly Platform? defaultPlatform = options?.DefaultPlatform;

    public async Task<ImageInspection> InspectAsync(ImageInspectionRequest request, CancellationToken cancellationToken = default)
    {
        var reference = request.Reference;
        var manifest = await client.Manifests.GetAsync(reference, request.Access, cancellationToken).ConfigureAwait(false);
        if (manifest is not ManifestList list)
        {
            var image = await ImageOfAsync(reference, manifest, request, cancellationToken).ConfigureAwait(false);
            return new ImageInspection { Reference = reference, Manifest = manifest.Descriptor, Image = image, Images = [image] };
        }
        if (list.Manifests.Count == 0)
        {
            throw RegistryErrors.UnsupportedManifest(reference.Exact(), list.MediaType, "the manifest list is empty");
        }

        var chosen = PlatformSelector.Select(list.Manifests, request.PreferredPlatform, defaultPlatform);
        if (request.ImportMode == ImportMode.Legacy)
        {
            var child = await ChildAsync(reference, chosen, request, cancellationToken).ConfigureAwait(false);
            return new ImageInspection
            {
                Reference = reference,
                Manifest = list.Descriptor,
                Image = child,
                Images = [child],
                Platform = chosen.Platform,
            };
        }

        var distinct = list.Manifests.DistinctBy(c => c.Digest).ToList();
        var children = await Task.WhenAll(distinct.Select(c => ChildAsync(reference, c, request, cancellationToken))).ConfigureAwait(false);
        var created = children[distinct.FindIndex(c => c.Digest == chosen.Digest)].DockerImageMetadata?.Created;
        var listImage = ImageFactory.FromList(reference, list, created, request.IncludeManifest);
        return new ImageInspection
        {
            Reference = reference,
            Manifest = list.Descriptor,
            Image = listImage,
            Images = [listImage, .. children],
        };
    }

    public Task<Descriptor> HeadAsync(ImageReference reference, RegistryAccess access, CancellationToken cancellationToken = default) =>
        client.Manifests.HeadAsync(reference, access, cancellationToken);

    public Task<IReadOnlyList<string>> ListTagsAsync(ImageReference repository, RegistryAccess access, CancellationToken cancellationToken = default) =>
        client.Tags.ListAsync(repository, access, cancellationToken);

    private async Task<ModelImage> ChildAsync(ImageReference reference, Descriptor child, ImageInspectionRequest request, CancellationToken cancellationToken)
    {
        var childReference = reference.ForDigest(child.Digest);
        var manifest = await client.Manifests.GetAsync(childReference, request.Access, cancellationToken).ConfigureAwait(false);
        if (manifest is ManifestList)
        {
            throw RegistryErrors.UnsupportedManifest(childReference.Exact(), manifest.MediaType, "a manifest list inside a manifest list");
        }
        return await ImageOfAsync(childReference, manifest, request, cancellationToken).ConfigureAwait(false);
    }

    private async Task<ModelImage> ImageOfAsync(ImageReference reference, Manifest manifest, ImageInspectionRequest request, CancellationToken cancellationToken)
    {
        switch (manifest)
        {
            case Schema2Manifest image:
                if (!MediaTypes.IsImageConfig(image.Config.MediaType))
                {
                    throw RegistryErrors.UnsupportedManifest(reference.Exact(), image.MediaType, $"its config is \"{image.Config.MediaType}\", not an image configuration");
                }
                var config = await client.Blobs.GetAsync(reference, image.Config, request.Access, cancellationToken).ConfigureAwait(false);
                return Read(reference, () => ImageFactory.FromSchema2(reference, image, config, request.IncludeManifest), "image config");
            case Schema1Manifest old:
                var sizes = await Schema1SizesAsync(reference, old, request.Access, cancellationToken).ConfigureAwait(false);
                return Read(reference, () => ImageFactory.FromSchema1(reference, old, sizes, request.IncludeManifest), "v1Compatibility history");
            default:
                throw RegistryErrors.UnsupportedManifest(reference.Exact(), manifest.MediaType);
        }
    }

    // Schema 1 history converted from schema 2 has no sizes; then each blob is asked for its size, as OpenShift does.
    private async Task<IReadOnlyDictionary<Digest, long>> Schema1SizesAsync(ImageReference reference, Schema1Manifest manifest, RegistryAccess access, CancellationToken cancellationToken)
    {
        var sizes = ImageFactory.Schema1HistorySizes(manifest);
        if (sizes.Count > 0)
        {
            return sizes;
        }
        var found = new Dictionary<Digest, long>();
        foreach (var layer in manifest.FsLayers.Distinct())
        {
            found[layer] = (await client.Blobs.HeadAsync(reference, layer, access, cancellationToken).ConfigureAwait(false)).Size;
        }
        return found;
    }

    private static ModelImage Read(ImageReference reference, Func<ModelImage> build, string what)
    {
        try
        {
            return build();
        }
        catch (JsonException ex)
        {
            throw RegistryErrors.InvalidResponse(reference.Registry, reference.Exact(), $"the {what} is not valid: {ex.Message}");
        }
    }
}
