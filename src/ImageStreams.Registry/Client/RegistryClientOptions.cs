using ImageStreams.Registry.Policy;

namespace ImageStreams.Registry.Client;

/// <summary>Settings of the registry client; every limit it applies is one of these. Checked by <see cref="Validate"/>.</summary>
public sealed class RegistryClientOptions
{
    /// <summary>Sent with every request. Default <c>imagestreams/1.0</c>.</summary>
    public string UserAgent { get; set; } = "imagestreams/1.0";

    /// <summary>Retries after a 5xx answer, a network error or a timeout. Default 3 (4 attempts in all).</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>The wait before the first retry; it doubles with each further one. Default 1 s.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between retries. Default 30 s.</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Each backoff is varied by up to this fraction either way. Default 0.2.</summary>
    public double BackoffJitter { get; set; } = 0.2;

    /// <summary>The time one attempt (and the reading of its body) may take. Default 30 s.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The time to open a connection. Default 10 s.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Requests in flight at once to one registry host. Default 16.</summary>
    public int MaxConcurrentRequestsPerRegistry { get; set; } = 16;

    /// <summary>Larger manifests are refused. Default 4 MiB, the limit registries apply.</summary>
    public long MaxManifestBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Larger image configs are refused. Default 8 MiB.</summary>
    public long MaxConfigBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>Larger pages of a tag list are refused. Default 4 MiB.</summary>
    public long MaxTagListPageBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Pages of a tag list followed at most. Default 1000.</summary>
    public int MaxTagListPages { get; set; } = 1000;

    /// <summary>How long a registry is left alone after a 429 without Retry-After. Default 10 s.</summary>
    public TimeSpan DefaultRetryAfter { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// A request to a registry that asked to be left alone waits up to this long; a longer wait fails at once
    /// with TooManyRequests and the time left. Default 30 s.
    /// </summary>
    public TimeSpan MaxRateLimitWait { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A PEM file of extra CA certificates trusted for registries (besides the system's). Default none.</summary>
    public string? CaBundlePath { get; set; }

    /// <summary>
    /// Which registries and addresses may be reached (allowed, blocked, insecure; never link-local or metadata addresses).
    /// Default <see cref="RegistryAccessPolicy.Open"/>: every registry, the address rules only.
    /// </summary>
    public RegistryAccessPolicy AccessPolicy { get; set; } = RegistryAccessPolicy.Open;

    /// <summary>Replaces socket connection (tests reach a registry under another host name with it).</summary>
    internal Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>>? ConnectCallback { get; set; }

    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public void Validate()
    {
        Require(!string.IsNullOrWhiteSpace(UserAgent), nameof(UserAgent), "must not be empty");
        Require(MaxRetries >= 0, nameof(MaxRetries), "must be 0 or more");
        Require(InitialBackoff >= TimeSpan.Zero, nameof(InitialBackoff), "must not be negative");
        Require(MaxBackoff >= InitialBackoff, nameof(MaxBackoff), "must be at least InitialBackoff");
        Require(BackoffJitter is >= 0 and < 1, nameof(BackoffJitter), "must be in [0, 1)");
        Require(RequestTimeout > TimeSpan.Zero, nameof(RequestTimeout), "must be positive");
        Require(ConnectTimeout > TimeSpan.Zero, nameof(ConnectTimeout), "must be positive");
        Require(MaxConcurrentRequestsPerRegistry > 0, nameof(MaxConcurrentRequestsPerRegistry), "must be positive");
        Require(MaxManifestBytes > 0, nameof(MaxManifestBytes), "must be positive");
        Require(MaxConfigBytes > 0, nameof(MaxConfigBytes), "must be positive");
        Require(MaxTagListPageBytes > 0, nameof(MaxTagListPageBytes), "must be positive");
        Require(MaxTagListPages > 0, nameof(MaxTagListPages), "must be positive");
        Require(DefaultRetryAfter >= TimeSpan.Zero, nameof(DefaultRetryAfter), "must not be negative");
        Require(MaxRateLimitWait >= TimeSpan.Zero, nameof(MaxRateLimitWait), "must not be negative");
        Require(AccessPolicy is not null, nameof(AccessPolicy), "must be set");
        Require(CaBundlePath is null || File.Exists(CaBundlePath), nameof(CaBundlePath), $"file \"{CaBundlePath}\" does not exist");
    }

    internal RegistryClientOptions Copy() => (RegistryClientOptions)MemberwiseClone();

    private static void Require(bool condition, string name, string problem)
    {
        if (!condition)
        {
            throw new ArgumentException($"registry client option {name} {problem}", name);
        }
    }
}
