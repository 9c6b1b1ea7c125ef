using ImageStreams.Controllers.Import;
using ImageStreams.Distribution.PullThrough;
using ImageStreams.Registry.Auth;

namespace ImageStreams.Server.Hosting;

/// <summary>The registry pulls through with the same namespace secrets imports use.</summary>
internal sealed class PullSecretCredentials(PullSecrets secrets) : IUpstreamCredentials
{
    public Task<ICredentialProvider> ForNamespaceAsync(string ns, CancellationToken cancellationToken) =>
        secrets.ForNamespaceAsync(ns, cancellationToken);
}
