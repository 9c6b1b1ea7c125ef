using ImageStreams.Registry.Auth;

namespace ImageStreams.Distribution.PullThrough;

/// <summary>The credentials a namespace offers to the registries its images come from (its pull secrets).</summary>
public interface IUpstreamCredentials
{
    Task<ICredentialProvider> ForNamespaceAsync(string ns, CancellationToken cancellationToken);
}

/// <summary>No credentials: pull-through goes anonymous. The default when the host plugs in none.</summary>
internal sealed class AnonymousUpstreamCredentials : IUpstreamCredentials
{
    public Task<ICredentialProvider> ForNamespaceAsync(string ns, CancellationToken cancellationToken) =>
        Task.FromResult<ICredentialProvider>(Registry.Auth.DockerConfigCredentialProvider.Empty);
}
