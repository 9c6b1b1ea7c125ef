using ImageStreams.Distribution.Errors;
using ImageStreams.Distribution.Mappings;
using ImageStreams.Distribution.PullThrough;
using ImageStreams.Distribution.Push;
using ImageStreams.Distribution.Repositories;
using ImageStreams.Distribution.Storage;
using ImageStreams.Model.Image;
using ImageStreams.Model.Meta;
using ImageStreams.Model.Validation;
using ImageStreams.Registry.Manifests;
using ImageStreams.Registry.References;
using ImageStreams.Resources;
using Microsoft.AspNetCore.Http;

namespace ImageStreams.Distribution.Api;

/// <summary>
/// <c>/v2/&lt;name&gt;/manifests/&lt;reference&gt;</c> (distribution spec "Pulling manifests", "Pushing manifests", "Deleting
/// manifests"). Tags are the stream's: a pull by tag reads the tag's newest image from the stream's status, and a push
/// by tag records an ImageStreamMapping. A pull by digest serves what the repository holds, or what the stream's history
/// names (fetched from the registry it came from and kept).
/// </summary>
internal sealed class ManifestEndpoints(
    BlobStore blobs,
    RepositoryLinks links,
    Referrers referrers,
    StreamHistory streams,
    UpstreamContent upstream,
    PushedImages images,
    ImageStreamMapper mapper,
    ResourceSet resources,
    DistributionOptions options)
{
    private static readonly string[] ForeignLayerTypes =
    [
        "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip",
        "application/vnd.oci.image.layer.nondistributable.v1.tar",
        "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip",
        "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd",
    ];

    public Task HandleAsync(HttpContext context, RepositoryName repository, string reference)
    {
        var method = context.Request.Method;
        return HttpMethods.IsPut(method) ? PutAsync(context, repository, reference)
            : HttpMethods.IsDelete(method) ? DeleteAsync(context, repository, reference)
            : GetAsync(context, repository, reference);
    }

    private async Task GetAsync(HttpContext context, RepositoryName repository, string reference)
    {
        var cancellationToken = context.RequestAborted;
        var (tag, digest) = ParseReference(reference);
        StoredManifest manifest;
        if (digest is not null)
        {
            manifest = await FindAsync(repository, digest, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            var stream = await streams.FindStreamAsync(repository, cancellationToken).ConfigureAwait(false)
                         ?? throw DistributionErrors.NameUnknown(repository.ToString());
            var tagEvent = TagHistory.Latest(stream, tag!) ?? throw DistributionErrors.ManifestUnknown(reference, $"tag \"{tag}\" has no image");
            if (!Digest.TryParse(tagEvent.Image, out var image))
            {
                throw DistributionErrors.ManifestUnknown(reference, $"tag \"{tag}\" names the image \"{tagEvent.Image}\", which is not a manifest digest");
            }
            manifest = await LocalAsync(repository, image, cancellationToken).ConfigureAwait(false)
                       ?? await ObtainAsync(repository, image, streams.SourceOf(stream, tag!, tagEvent), cancellationToken).ConfigureAwait(false);
        }
        manifest = await NegotiateAsync(context, repository, reference, manifest).ConfigureAwait(false);

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = manifest.MediaType;
        context.Response.ContentLength = manifest.Content.Length;
        context.Response.Headers[RegistryHttp.DigestHeader] = manifest.Digest.ToString();
        context.Response.Headers.ETag = $"\"{manifest.Digest}\"";
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await context.Response.Body.WriteAsync(manifest.Content, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task PutAsync(HttpContext context, RepositoryName repository, string reference)
    {
        var cancellationToken = context.RequestAborted;
        var (tag, pinned) = ParseReference(reference);
        if (await resources.Namespaces.FindAsync(null, repository.Namespace, cancellationToken).ConfigureAwait(false) is null)
        {
            throw DistributionErrors.NameUnknown(repository.ToString(), $"namespace \"{repository.Namespace}\" does not exist");
        }
        var content = await ReadBodyAsync(context.Request, cancellationToken).ConfigureAwait(false);
        var contentType = ManifestParser.ContentTypeWithoutParameters(context.Request.ContentType);
        Manifest manifest;
        try
        {
            manifest = ManifestParser.Parse(content, contentType, pinned?.Algorithm ?? Digest.Sha256);
        }
        catch (InvalidManifestException e)
        {
            throw DistributionErrors.ManifestInvalid(e.Message);
        }
        if (manifest is Schema1Manifest)
        {
            throw DistributionErrors.ManifestInvalid("Docker schema 1 manifests are not accepted; push a Docker schema 2 or an OCI manifest");
        }
        if (MediaTypes.IsManifest(contentType) && contentType != manifest.MediaType)
        {
            throw DistributionErrors.ManifestInvalid($"the Content-Type {contentType} is not the manifest's media type {manifest.MediaType}");
        }
        if (pinned is not null && manifest.Digest != pinned)
        {
            throw DistributionErrors.DigestInvalid($"the manifest has digest {manifest.Digest}", pinned.ToString(), manifest.Digest.ToString());
        }
        VerifyReferences(repository, manifest);

        await blobs.PutAsync(manifest.Content, manifest.Digest, cancellationToken).ConfigureAwait(false);
        links.LinkManifest(repository, manifest.Digest, manifest.MediaType);
        if (Referrers.Of(manifest) is var (subject, descriptor))
        {
            referrers.Add(repository, subject, manifest.Digest, descriptor);
            context.Response.Headers["OCI-Subject"] = subject.ToString();
        }
        var image = await images.BuildAsync(repository, manifest, cancellationToken).ConfigureAwait(false);
        if (tag is null)
        {
            await mapper.StoreImageAsync(image, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            var mapping = new ImageStreamMapping
            {
                Metadata = new ObjectMeta { Name = repository.Stream, Namespace = repository.Namespace },
                Image = image,
                Tag = tag,
            };
            await mapper.MapAsync(repository.Namespace, mapping, cancellationToken).ConfigureAwait(false);
        }
        context.Response.Headers.Location = RegistryHttp.ManifestLocation(repository, manifest.Digest);
        context.Response.Headers[RegistryHttp.DigestHeader] = manifest.Digest.ToString();
        RegistryHttp.Empty(context, StatusCodes.Status201Created);
    }

    private async Task DeleteAsync(HttpContext context, RepositoryName repository, string reference)
    {
        var (tag, digest) = ParseReference(reference);
        if (digest is null)
        {
            throw DistributionErrors.Unsupported($"tags are deleted from the image stream (isctl tag -d {repository.Namespace}/{repository.Stream}:{tag}), not through the registry");
        }
        var manifest = await LocalAsync(repository, digest, context.RequestAborted).ConfigureAwait(false)
                       ?? throw DistributionErrors.ManifestUnknown(reference);
        if (Referrers.Of(ManifestParser.Parse(manifest.Content, manifest.MediaType, digest.Algorithm)) is var (subject, _))
        {
            referrers.Remove(repository, subject, digest);
        }
        // Only the repository's link goes: the stream's history and the content stay until pruning.
        links.UnlinkManifest(repository, digest);
        RegistryHttp.Empty(context, StatusCodes.Status202Accepted);
    }

    /// <summary>A manifest by digest: held by the repository, or named by the stream's history.</summary>
    private async Task<StoredManifest> FindAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken)
    {
        if (await LocalAsync(repository, digest, cancellationToken).ConfigureAwait(false) is { } local)
        {
            return local;
        }
        var stream = await streams.FindStreamAsync(repository, cancellationToken).ConfigureAwait(false)
                     ?? throw DistributionErrors.ManifestUnknown(digest.ToString());
        var source = await streams.FindManifestAsync(stream, digest, cancellationToken).ConfigureAwait(false)
                     ?? throw DistributionErrors.ManifestUnknown(digest.ToString());
        return await ObtainAsync(repository, digest, source, cancellationToken).ConfigureAwait(false);
    }

    private async Task<StoredManifest?> LocalAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken)
    {
        var mediaType = links.ManifestMediaType(repository, digest);
        if (mediaType is null)
        {
            return null;
        }
        var content = await blobs.ReadAsync(digest, options.MaxManifestBytes, cancellationToken).ConfigureAwait(false);
        return content is null ? null : new StoredManifest(digest, mediaType, content);
    }

    /// <summary>
    /// A manifest the stream's history names but the repository does not hold: linked from the repository of this registry
    /// the image was pushed to while that one holds it, or for an image from another registry, linked from the shared
    /// store when it is there, else fetched from that registry and kept. A repository's own pushed image whose manifest
    /// was deleted stays deleted.
    /// </summary>
    private async Task<StoredManifest> ObtainAsync(RepositoryName repository, Digest digest, ContentSource source, CancellationToken cancellationToken)
    {
        if (source.Repository is { } pushedTo && pushedTo != repository && links.ManifestMediaType(pushedTo, digest) is { } mediaType &&
            await blobs.ReadAsync(digest, options.MaxManifestBytes, cancellationToken).ConfigureAwait(false) is { } pushed)
        {
            links.LinkManifest(repository, digest, mediaType);
            return new StoredManifest(digest, mediaType, pushed);
        }
        if (source.Upstream is null)
        {
            throw DistributionErrors.ManifestUnknown(digest.ToString(), "the image is not stored in this repository");
        }
        if (await blobs.ReadAsync(digest, options.MaxManifestBytes, cancellationToken).ConfigureAwait(false) is { } stored)
        {
            var storedType = ManifestParser.Parse(stored, null, digest.Algorithm).MediaType;
            links.LinkManifest(repository, digest, storedType);
            return new StoredManifest(digest, storedType, stored);
        }
        var manifest = await upstream.GetManifestAsync(repository, source, digest, cancellationToken).ConfigureAwait(false);
        await blobs.PutAsync(manifest.Content, digest, cancellationToken).ConfigureAwait(false);
        links.LinkManifest(repository, digest, manifest.MediaType);
        return new StoredManifest(digest, manifest.MediaType, manifest.Content.ToArray());
    }

    /// <summary>
    /// Serves the manifest when the client accepts its type. A list whose type the client does not accept is replaced by
    /// its child for linux/amd64 (or the first runnable one) of a type the client does accept, as distribution does for
    /// clients that only know single images; anything else is MANIFEST_UNKNOWN.
    /// </summary>
    private async Task<StoredManifest> NegotiateAsync(HttpContext context, RepositoryName repository, string reference, StoredManifest manifest)
    {
        var accepted = AcceptedTypes(context.Request);
        if (accepted is null || accepted.Contains(manifest.MediaType))
        {
            return manifest;
        }
        if (MediaTypes.IsList(manifest.MediaType) && ManifestParser.Parse(manifest.Content, manifest.MediaType) is ManifestList list &&
            list.Manifests.Where(c => accepted.Contains(c.MediaType)).ToList() is { Count: > 0 } children)
        {
            var child = PlatformSelector.Select(children, null, null);
            return await FindAsync(repository, child.Digest, context.RequestAborted).ConfigureAwait(false);
        }
        throw DistributionErrors.ManifestUnknown(reference, $"the manifest is {manifest.MediaType}, which the request does not accept");
    }

    /// <summary>The media types of the Accept headers; null when the client accepts anything.</summary>
    private static HashSet<string>? AcceptedTypes(HttpRequest request)
    {
        var types = request.Headers.Accept
            .SelectMany(value => (value ?? "").Split(','))
            .Select(ManifestParser.ContentTypeWithoutParameters)
            .OfType<string>()
            .ToHashSet(StringComparer.Ordinal);
        return types.Count == 0 || types.Contains("*/*") ? null : types;
    }

    /// <summary>Every blob and child manifest a pushed manifest names must already be in this repository, with the size it says.</summary>
    private void VerifyReferences(RepositoryName repository, Manifest manifest)
    {
        switch (manifest)
        {
            case Schema2Manifest image:
                foreach (var (blob, what) in image.Layers.Select(l => (l, "layer")).Prepend((image.Config, "config")))
                {
                    if (ForeignLayerTypes.Contains(blob.MediaType))
                    {
                        continue;
                    }
                    var size = links.HasBlob(repository, blob.Digest) ? blobs.Size(blob.Digest) : null;
                    if (size is null)
                    {
                        throw DistributionErrors.ManifestBlobUnknown(blob.Digest.ToString(), what);
                    }
                    if (size != blob.Size)
                    {
                        throw DistributionErrors.ManifestInvalid($"the {what} {blob.Digest} has {size} bytes, the manifest says {blob.Size}");
                    }
                }
                break;
            case ManifestList list:
                foreach (var child in list.Manifests)
                {
                    if (links.ManifestMediaType(repository, child.Digest) is null)
                    {
                        throw DistributionErrors.ManifestBlobUnknown(child.Digest.ToString(), "manifest");
                    }
                }
                break;
        }
    }

    private async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var limit = options.MaxManifestBytes;
        if (request.ContentLength > limit)
        {
            throw DistributionErrors.ManifestTooLarge(limit);
        }
        using var buffer = new MemoryStream();
        var chunk = new byte[64 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                throw DistributionErrors.ManifestTooLarge(limit);
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    /// <summary>A tag, or a digest (anything with a colon is read as one).</summary>
    private static (string? Tag, Digest? Digest) ParseReference(string reference) =>
        reference.Contains(':', StringComparison.Ordinal) ? (null, RegistryHttp.ParseDigest(reference))
        : Names.IsTag(reference) ? (reference, null)
        : throw DistributionErrors.TagInvalid(reference);

    private sealed record StoredManifest(Digest Digest, string MediaType, byte[] Content);
}
