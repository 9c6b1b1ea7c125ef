namespace ImageStreams.Server;

/// <summary>Everything <c>isctl serve</c> can set. Defaults are the embedded, single-process set-up.</summary>
public sealed record ServerOptions
{
    /// <summary>Address and port to listen on.</summary>
    public string Listen { get; init; } = "127.0.0.1:8080";

    /// <summary>Directory of the SQLite store and registry data.</summary>
    public string DataDir { get; init; } = ".data";

    /// <summary>Largest request body the API accepts, in bytes (Kubernetes' limit is 3 MiB).</summary>
    public long MaxRequestBodyBytes { get; init; } = 3 * 1024 * 1024;

    /// <summary>
    /// The host:port put in status.dockerImageRepository; empty means the address the server listens on.
    /// </summary>
    public string? RegistryHostname { get; init; }

    /// <summary>How many store events a watch can resume from.</summary>
    public int WatchHistory { get; init; } = 10_000;

    /// <summary>Checks the values; throws <see cref="ArgumentException"/> with a message for the user.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Listen))
        {
            throw new ArgumentException("--listen must be host:port");
        }
        if (MaxRequestBodyBytes < 1024)
        {
            throw new ArgumentException("--max-request-bytes must be at least 1024");
        }
        if (WatchHistory < 100)
        {
            throw new ArgumentException("--watch-history must be at least 100");
        }
    }
}
