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

    private static string PathOf(ImageReference repository, Digest digest) =>
        $"v2/{RegistryConnection.EscapedRepository(repository)}/blobs/{digest}";
}
