namespace ImageStreams.Registry.Auth;

/// <summary>A username and password (or token) for one registry.</summary>
public sealed record RegistryCredential(string Username, string Password)
{
    // Records print every member; a password must never reach a log.
    public override string ToString() => $"RegistryCredential {{ Username = {Username}, Password = *** }}";
}

/// <summary>Finds the credential to use for an image, by registry host and repository path.</summary>
public interface ICredentialProvider
{
    /// <param name="registry">The registry as references name it (<c>docker.io</c>, <c>quay.io</c>, <c>localhost:5000</c>).</param>
    /// <param name="repository">The repository path (<c>library/busybox</c>).</param>
    /// <returns>The credential, or null to go anonymous.</returns>
    RegistryCredential? Resolve(string registry, string repository);
}

/// <summary>Providers that need no configuration.</summary>
public static class CredentialProviders
{
    /// <summary>The same credential for every registry (a CLI's --username/--password).</summary>
    public static ICredentialProvider Static(RegistryCredential credential) => new StaticProvider(credential);

    private sealed class StaticProvider(RegistryCredential credential) : ICredentialProvider
    {
        public RegistryCredential? Resolve(string registry, string repository) => credential;
    }
}
