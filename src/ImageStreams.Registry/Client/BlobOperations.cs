using System.Net;
using ImageStreams.Registry.Errors;
using ImageStreams.Registry.Http;
using ImageStreams.Registry.Manifests;
using ImageStreams.Registry.References;

namespace ImageStreams.Registry.Client;

internal sealed class BlobOperations(RegistryConnection connection) : IBlobOperations
{
    public async Task<Descriptor> HeadAsync(ImageReference repository, Digest digest, RegistryAccess access, CancellationToken cancellationToken = default)
    {
        var context = RegistryConnection.Context(repository, access);
        using var response = await connection.SendAsync(context, HttpMethod.Head, PathOf(repository, digest), null, cancellationToken).ConfigureAwait(false);
        return new Descriptor(response.Content.Headers.ContentType?.MediaType ?? "", digest, response.Content.Headers.ContentLength ?? -1);
    }

    public async Task<ReadOnlyMemory<byte>> GetAsync(ImageReference repository, Descriptor blob, RegistryAccess access, CancellationToken cancellationToken = default)
    {
        var context = RegistryConnection.Context(repository, access);
        var limit = connection.Options.MaxConfigBytes;
        if (blob.Size > limit)
        {
            throw RegistryErrors.TooLarge(context.Reference!, $"blob {blob.Digest}", limit);
        }
        using var response = await connection.SendAsync(context, HttpMethod.Get, PathOf(repository, blob.Digest), null, cancellationToken).ConfigureAwait(false);
        var content = await connection.ReadAsync(response, limit, () => RegistryErrors.TooLarge(context.Reference!, $"blob {blob.Digest}", limit), context, cancellationToken).ConfigureAwait(false);
        if (!blob.Digest.Matches(content))
        {
            throw RegistryErrors.ContentIntegrity(context.Reference!, $"blob {blob.Digest} has digest {Digest.Compute(blob.Digest.Algorithm, content)}");
        }
        if (blob.Size > 0 && content.Length != blob.Size)
        {
            throw RegistryErrors.ContentIntegrity(context.Reference!, $"blob {blob.Digest} has {content.Length} bytes, the manifest says {blob.Size}");
        }
        return content;
    }

    public async Task<BlobContent> OpenAsync(ImageReference repository, Digest digest, RegistryAccess access, CancellationToken cancellationToken = default)
    {
        var context = RegistryConnection.Context(repository, access);
        var response = await connection.SendAsync(context, HttpMethod.Get, PathOf(repository, digest), null, cancellationToken).ConfigureAwait(false);
        try
        {
            var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            var size = response.Content.Headers.ContentLength ?? -1;
            var descriptor = new Descriptor(response.Content.Headers.ContentType?.MediaType ?? "", digest, size);
            return new BlobContent(descriptor, new VerifyingStream(body, descriptor, connection, context), response);
        }
        catch (Exception ex) when (ex is not RegistryException && !(ex is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            response.Dispose();
            throw TransportErrors.Map(ex, context, connection.Options);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    public async Task<Descriptor> UploadAsync(ImageReference repository, Descriptor blob, Func<Stream> open, RegistryAccess access, CancellationToken cancellationToken = default)
    {
        var context = PushContext(repository, access);
        var location = await StartUploadAsync(context, repository, cancellationToken).ConfigureAwait(false);
        var content = new ReplayableContent(open, blob.Size);
        using var response = await connection.SendAsync(context, HttpMethod.Put, WithDigest(location, blob.Digest), null, content, cancellationToken).ConfigureAwait(false);
        CheckCreated(response, context, blob.Digest);
        return blob;
    }

    public async Task<Descriptor> UploadChunkedAsync(
        ImageReference repository, Descriptor blob, Stream content, int chunkSize, RegistryAccess access, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkSize, 1);
        var context = PushContext(repository, access);
        var location = await StartUploadAsync(context, repository, cancellationToken).ConfigureAwait(false);
        var buffer = new byte[chunkSize];
        long offset = 0;
        while (true)
        {
            var filled = await content.ReadAtLeastAsync(buffer, chunkSize, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            if (filled == 0)
            {
                break;
            }
            // Each chunk is its own copy: a retried PATCH sends the same bytes again.
            var chunk = ReplayableContent.FromBytes(buffer.AsMemory(0, filled).ToArray());
            chunk.Headers.TryAddWithoutValidation("Content-Range", $"{offset}-{offset + filled - 1}");
            using var response = await connection.SendAsync(context, HttpMethod.Patch, location, null, chunk, cancellationToken).ConfigureAwait(false);
            location = LocationOf(response, context);
            offset += filled;
        }
        if (blob.Size >= 0 && offset != blob.Size)
        {
            throw RegistryErrors.ContentIntegrity(context.Reference!, $"blob {blob.Digest} had {offset} bytes to upload, the descriptor says {blob.Size}");
        }
        using (var response = await connection.SendAsync(context, HttpMethod.Put, WithDigest(location, blob.Digest), null, ReplayableContent.FromBytes(ReadOnlyMemory<byte>.Empty), cancellationToken).ConfigureAwait(false))
        {
            CheckCreated(response, context, blob.Digest);
        }
        return blob with { Size = offset };
    }

    public async Task<bool> MountAsync(ImageReference repository, Digest digest, ImageReference from, RegistryAccess access, CancellationToken cancellationToken = default)
    {
        var context = PushContext(repository, access) with { MountFrom = from.Repository };
        var path = $"v2/{RegistryConnection.EscapedRepository(repository)}/blobs/uploads/?mount={Uri.EscapeDataString(digest.ToString())}&from={Uri.EscapeDataString(from.Repository)}";
        using var response = await connection.SendAsync(context, HttpMethod.Post, path, null, ReplayableContent.FromBytes(ReadOnlyMemory<byte>.Empty), cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.Created)
        {
            return true;
        }
        // 202: the registry could not mount and opened an upload instead; it is not used, so it is cancelled.
        if (response.Headers.Location is not null)
        {
            try
            {
                using var cancelled = await connection.SendAsync(context, HttpMethod.Delete, LocationOf(response, context), null, cancellationToken).ConfigureAwait(false);
            }
            catch (RegistryException)
            {
                // An abandoned upload is purged by the registry in time.
            }
        }
        return false;
    }

    private async Task<string> StartUploadAsync(RegistryRequestContext context, ImageReference repository, CancellationToken cancellationToken)
    {
        var path = $"v2/{RegistryConnection.EscapedRepository(repository)}/blobs/uploads/";
        using var response = await connection.SendAsync(context, HttpMethod.Post, path, null, ReplayableContent.FromBytes(ReadOnlyMemory<byte>.Empty), cancellationToken).ConfigureAwait(false);
        return LocationOf(response, context);
    }

    private static RegistryRequestContext PushContext(ImageReference repository, RegistryAccess access) =>
        RegistryConnection.Context(repository, access) with { Actions = "pull,push" };

    private static string LocationOf(HttpResponseMessage response, RegistryRequestContext context) =>
        response.Headers.Location?.OriginalString is { Length: > 0 } location
            ? location
            : throw RegistryErrors.InvalidResponse(context.Registry, context.Reference, $"the upload answer ({(int)response.StatusCode}) has no Location header");

    private static string WithDigest(string location, Digest digest) =>
        location + (location.Contains('?', StringComparison.Ordinal) ? '&' : '?') + "digest=" + Uri.EscapeDataString(digest.ToString());

    private static void CheckCreated(HttpResponseMessage response, RegistryRequestContext context, Digest digest)
    {
        if (RegistryConnection.ContentDigest(response, context) is { } stored && stored != digest)
        {
            throw RegistryErrors.ContentIntegrity(context.Reference!, $"the registry stored the blob as {stored}, not {digest}");
        }
    }

    private static string PathOf(ImageReference repository, Digest digest) =>
        $"v2/{RegistryConnection.EscapedRepository(repository)}/blobs/{digest}";
}
