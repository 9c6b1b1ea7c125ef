using ImageStreams.Model.Meta;

namespace ImageStreams.Registry.Errors;

/// <summary>
/// The one exception type of the registry client. <see cref="Reason"/> is stable and maps to a Kubernetes
/// <see cref="Status"/> reason; <see cref="Transient"/> says whether trying again later can succeed.
/// Instances are made by <see cref="RegistryErrors"/>, which owns the messages.
/// </summary>
public sealed class RegistryException : Exception
{
    internal RegistryException(
        RegistryErrorReason reason,
        string message,
        bool transient,
        TimeSpan? retryAfter = null,
        string? reference = null,
        Exception? innerException = null)
        : base(message, innerException)
    {
        Reason = reason;
        Transient = transient;
        RetryAfter = retryAfter;
        Reference = reference;
    }

    public RegistryErrorReason Reason { get; }

    /// <summary>True when the same request may succeed later (5xx, 429, timeouts, network, corrupt answers).</summary>
    public bool Transient { get; }

    /// <summary>For <see cref="RegistryErrorReason.TooManyRequests"/>: how long the registry asked to wait.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>The image reference the failing operation was about, when there was one.</summary>
    public string? Reference { get; }

    /// <summary>The Kubernetes Status reason for this failure.</summary>
    public string StatusReason => Reason switch
    {
        RegistryErrorReason.NotFound => StatusReasons.NotFound,
        RegistryErrorReason.Unauthorized or RegistryErrorReason.WrongCredentials => StatusReasons.Unauthorized,
        RegistryErrorReason.InvalidReference or RegistryErrorReason.HttpOnly or RegistryErrorReason.TlsError
            or RegistryErrorReason.UnexpectedStatus => StatusReasons.BadRequest,
        // OpenShift reports this one with its own reason.
        RegistryErrorReason.NotV2Registry => "NotV2Registry",
        RegistryErrorReason.UnsupportedManifest => StatusReasons.UnsupportedMediaType,
        RegistryErrorReason.TooLarge => StatusReasons.RequestEntityTooLarge,
        RegistryErrorReason.Forbidden => StatusReasons.Forbidden,
        RegistryErrorReason.TooManyRequests => StatusReasons.TooManyRequests,
        RegistryErrorReason.Timeout => StatusReasons.Timeout,
        RegistryErrorReason.ServerError or RegistryErrorReason.NetworkError or RegistryErrorReason.ContentIntegrity
            or RegistryErrorReason.InvalidResponse => StatusReasons.ServiceUnavailable,
        _ => StatusReasons.BadRequest,
    };

    /// <summary>The HTTP code that goes with <see cref="StatusReason"/>.</summary>
    public int StatusCode => Reason switch
    {
        RegistryErrorReason.NotFound => 404,
        RegistryErrorReason.Unauthorized or RegistryErrorReason.WrongCredentials => 401,
        RegistryErrorReason.NotV2Registry or RegistryErrorReason.Forbidden => 403,
        RegistryErrorReason.UnsupportedManifest => 415,
        RegistryErrorReason.TooLarge => 413,
        RegistryErrorReason.TooManyRequests => 429,
        RegistryErrorReason.Timeout => 504,
        RegistryErrorReason.ServerError or RegistryErrorReason.NetworkError or RegistryErrorReason.ContentIntegrity
            or RegistryErrorReason.InvalidResponse => 503,
        _ => 400,
    };

    /// <summary>This failure as the Status body an import result or API error carries.</summary>
    public Status ToStatus() => new()
    {
        State = Status.Failure,
        Code = StatusCode,
        Reason = StatusReason,
        Message = Message,
        Details = Reason switch
        {
            RegistryErrorReason.NotFound when Reference is not null =>
                new StatusDetails { Group = RegistryErrors.DockerImageResource.Group, Kind = RegistryErrors.DockerImageResource.Resource, Name = Reference },
            RegistryErrorReason.TooManyRequests when RetryAfter is { } wait =>
                new StatusDetails { RetryAfterSeconds = (int)Math.Ceiling(wait.TotalSeconds) },
            _ => null,
        },
    };
}
