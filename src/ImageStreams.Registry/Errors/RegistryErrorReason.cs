namespace ImageStreams.Registry.Errors;

/// <summary>Why a registry operation failed: the stable codes of <see cref="RegistryException"/>.</summary>
public enum RegistryErrorReason
{
    /// <summary>The reference does not follow the Docker reference grammar.</summary>
    InvalidReference,

    /// <summary>The repository, tag, manifest or blob does not exist.</summary>
    NotFound,

    /// <summary>The registry refused access (no or insufficient credentials).</summary>
    Unauthorized,

    /// <summary>The registry rejected the username or password given.</summary>
    WrongCredentials,

    /// <summary>The registry speaks plain HTTP only and the insecure flag was not set.</summary>
    HttpOnly,

    /// <summary>The server does not implement the registry v2 API.</summary>
    NotV2Registry,

    /// <summary>Content did not match its digest or size.</summary>
    ContentIntegrity,

    /// <summary>The manifest is of a kind this client cannot read (or it is not an image).</summary>
    UnsupportedManifest,

    /// <summary>The manifest or config is larger than the configured limit.</summary>
    TooLarge,

    /// <summary>The registry answered 429; see <see cref="RegistryException.RetryAfter"/>.</summary>
    TooManyRequests,

    /// <summary>The registry answered 5xx.</summary>
    ServerError,

    /// <summary>The registry did not answer in time.</summary>
    Timeout,

    /// <summary>The registry could not be reached (DNS, refused, reset).</summary>
    NetworkError,

    /// <summary>The TLS handshake failed (e.g. an untrusted certificate).</summary>
    TlsError,

    /// <summary>The registry answered something that is not valid (garbage body, bad header).</summary>
    InvalidResponse,

    /// <summary>The registry answered a status this client does not expect.</summary>
    UnexpectedStatus,

    /// <summary>The server's registry access policy does not allow the registry, the insecure flag or the destination.</summary>
    Forbidden,
}
