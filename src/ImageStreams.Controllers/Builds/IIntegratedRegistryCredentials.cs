using ImageStreams.Registry.Auth;

namespace ImageStreams.Controllers.Builds;

/// <summary>The credentials a build offers to this server's own registry, to pull its base and push its output.</summary>
public interface IIntegratedRegistryCredentials
{
    /// <summary>Credentials for a build in <paramref name="ns"/> to reach <paramref name="repository"/> (<c>ns/stream</c>); null is anonymous.</summary>
    ValueTask<ICredentialProvider?> ForBuildAsync(string ns, string repository, CancellationToken cancellationToken = default);
}

/// <summary>The default: anonymous access, for a registry that asks for none.</summary>
public sealed class AnonymousIntegratedRegistryCredentials : IIntegratedRegistryCredentials
{
    public ValueTask<ICredentialProvider?> ForBuildAsync(string ns, string repository, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<ICredentialProvider?>(null);
}
