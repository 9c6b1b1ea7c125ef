using ImageStreams.Distribution.Errors;
using ImageStreams.Distribution.Repositories;
using ImageStreams.Registry.Client;
using ImageStreams.Registry.Errors;
using ImageStreams.Registry.Manifests;
using ImageStreams.Registry.References;

namespace ImageStreams.Distribution.PullThrough;

/// <summary>
/// Fetches content of a stream from the registry it was imported from, with the namespace's credentials and the tag's
/// insecure flag. The registry client verifies digests; its failures become registry errors: not found upstream is
/// unknown here too, a 429 passes on its wait, anything else is UNAVAILABLE (the client may try again).
/// </summary>
internal sealed class UpstreamContent(IRegistryClient client, IUpstreamCredentials credentials)
{
    public async Task<Manifest> GetManifestAsync(RepositoryName repository, ContentSource source, Digest digest, CancellationToken cancellationToken)
    {
        var access = await AccessAsync(repository, source, cancellationToken).ConfigureAwait(false);
        try
        {
            return await client.Manifests.GetAsync(source.Upstream!.ForDigest(digest), access, cancellationToken).ConfigureAwait(false);
        }
        catch (RegistryException e)
        {
            throw Map(e, () => DistributionErrors.ManifestUnknown(digest.ToString(), e.Message));
        }
    }

    public async Task<Descriptor> HeadBlobAsync(RepositoryName repository, ContentSource source, Digest digest, CancellationToken cancellationToken)
    {
        var access = await AccessAsync(repository, source, cancellationToken).ConfigureAwait(false);
        try
        {
            return await client.Blobs.HeadAsync(source.Upstream!.ForDigest(digest), digest, access, cancellationToken).ConfigureAwait(false);
        }
        catch (RegistryException e)
        {
            throw Map(e, () => DistributionErrors.BlobUnknown(digest.ToString()));
        }
    }

    /// <summary>The blob as a stream that fails with a <see cref="RegistryException"/> on its last read when the content is wrong.</summary>
    public async Task<BlobContent> OpenBlobAsync(RepositoryName repository, ContentSource source, Digest digest, CancellationToken cancellationToken)
    {
        var access = await AccessAsync(repository, source, cancellationToken).ConfigureAwait(false);
        try
        {
            return await client.Blobs.OpenAsync(source.Upstream!.ForDigest(digest), digest, access, cancellationToken).ConfigureAwait(false);
        }
        catch (RegistryException e)
        {
            throw Map(e, () => DistributionErrors.BlobUnknown(digest.ToString()));
        }
    }

    public static DistributionException Map(RegistryException e, Func<DistributionException> notFound) => e.Reason switch
    {
        RegistryErrorReason.NotFound => notFound(),
        RegistryErrorReason.TooManyRequests => DistributionErrors.TooManyRequests(e.Message, e.RetryAfter ?? TimeSpan.FromSeconds(10)),
        _ => DistributionErrors.Unavailable(e.Message),
    };

    private async Task<RegistryAccess> AccessAsync(RepositoryName repository, ContentSource source, CancellationToken cancellationToken) => new()
    {
        Insecure = source.Insecure,
        Credentials = await credentials.ForNamespaceAsync(repository.Namespace, cancellationToken).ConfigureAwait(false),
    };
}
