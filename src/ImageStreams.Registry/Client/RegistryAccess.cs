using ImageStreams.Registry.Auth;

namespace ImageStreams.Registry.Client;

/// <summary>How one call may reach a registry: the insecure flag of the tag and the credentials to offer.</summary>
public sealed record RegistryAccess
{
    public static RegistryAccess Anonymous { get; } = new();

    /// <summary>Allow plain HTTP and unverified TLS (OpenShift's importPolicy.insecure).</summary>
    public bool Insecure { get; init; }

    /// <summary>Where credentials come from; null for anonymous access.</summary>
    public ICredentialProvider? Credentials { get; init; }
}
