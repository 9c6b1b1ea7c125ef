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

    /// <summary>
    /// Retries of this call's requests after a 5xx answer, a network error or a timeout; null (the default) uses the
    /// client's <see cref="RegistryClientOptions.MaxRetries"/>. A caller that retries on its own terms (the scheduled
    /// import backs a failing tag off) sets 0, so one failure costs one request.
    /// </summary>
    public int? MaxRetries
    {
        get;
        init => field = value is null or >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(MaxRetries), value, "must not be negative");
    }
}
