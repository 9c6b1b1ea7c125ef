using ImageStreams.Controllers.Scheduling;
using ImageStreams.Registry.Policy;
using ImageStreams.Controllers.Triggers;

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

    /// <summary>Longest a watch request stays open, in seconds; a client's shorter timeoutSeconds wins. Default 30 minutes, as Kubernetes.</summary>
    public int MaxWatchSeconds { get; init; } = 1800;

    /// <summary>How many tags a repository import (<c>import-image --all</c>) takes; the rest are reported. -1: no limit.</summary>
    public int MaxRepositoryTags { get; init; } = 50;

    /// <summary>
    /// The platform (os/arch[/variant]) a Legacy import picks from a manifest list when the tag prefers none;
    /// empty means linux/amd64, whatever machine the server runs on.
    /// </summary>
    public string? ImportPlatform { get; init; }

    /// <summary>A PEM file of extra certificate authorities trusted for registries.</summary>
    public string? RegistryCaBundle { get; init; }

    /// <summary>Largest manifest the registry accepts on push, in bytes.</summary>
    public long RegistryMaxManifestBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>Largest blob (layer) the registry accepts on push, in bytes; 0 for no limit.</summary>
    public long RegistryMaxBlobBytes { get; init; }

    /// <summary>Blob uploads the registry keeps open at once; one more is refused with TOOMANYREQUESTS until one ends.</summary>
    public int RegistryMaxUploads { get; init; } = 256;

    /// <summary>Minutes an upload may stay untouched before the registry deletes it as abandoned.</summary>
    public int RegistryUploadExpiryMinutes { get; init; } = 60;

    /// <summary>
    /// An htpasswd file of bcrypt hashes (<c>htpasswd -B</c>) whose users log in with <c>isctl login -u/-p</c> and docker
    /// clients' <c>--creds user:password</c>; re-read when it changes. Empty: only tokens authenticate.
    /// </summary>
    public string? HtpasswdFile { get; init; }

    /// <summary>How long a token made by a login (or by the registry's token endpoint for a password) works. Default 24 hours, as OpenShift's.</summary>
    public TimeSpan TokenLifetime { get; init; } = TimeSpan.FromHours(24);

    /// <summary>PEM certificate (with its chain) to serve TLS with; with <see cref="TlsPrivateKeyFile"/>.</summary>
    public string? TlsCertFile { get; init; }

    /// <summary>PEM private key of <see cref="TlsCertFile"/>.</summary>
    public string? TlsPrivateKeyFile { get; init; }

    /// <summary>
    /// Serve HTTPS on loopback too (beyond loopback it always is): with <see cref="TlsCertFile"/>, else a self-signed
    /// certificate in the data directory. kubectl sends tokens over HTTPS only. Default false.
    /// </summary>
    public bool Tls { get; init; }

    /// <summary>
    /// Registries images may be imported (and pulled through) from, comma separated <c>host[:port][/path]</c> with
    /// <c>*.example.com</c> wildcards, as OpenShift's allowedRegistriesForImport; empty allows every registry not blocked.
    /// </summary>
    public string? AllowedRegistriesForImport { get; init; }

    /// <summary>Registries never reached, as OpenShift's blockedRegistries: not for imports, token realms or redirects.</summary>
    public string? BlockedRegistries { get; init; }

    /// <summary>Registries besides loopback that may be imported from with the insecure flag (plain HTTP, unverified TLS).</summary>
    public string? InsecureRegistries { get; init; }

    /// <summary>The access policy the three lists above make.</summary>
    public RegistryAccessPolicy AccessPolicy() => new()
    {
        Allowed = RegistryPattern.ParseList(AllowedRegistriesForImport),
        Blocked = RegistryPattern.ParseList(BlockedRegistries),
        Insecure = RegistryPattern.ParseList(InsecureRegistries),
    };

    /// <summary>Builds running at once; more wait as Pending.</summary>
    public int MaxConcurrentBuilds { get; init; } = 2;

    /// <summary>Largest binary build input (<c>start-build --from-dir/--from-file/--from-archive</c>) the API accepts, in bytes.</summary>
    public long MaxBuildInputBytes { get; init; } = 1024L * 1024 * 1024;

    /// <summary>Scheduled import of tags with <c>importPolicy.scheduled</c>: interval, limits, backoff.</summary>
    public ScheduledImportOptions ScheduledImport { get; init; } = new();

    /// <summary>Image change triggers: builds started by moved tags, webhooks and workload image rewrites.</summary>
    public TriggerOptions Triggers { get; init; } = new();

    /// <summary>Checks the values; throws <see cref="ArgumentException"/> with a message for the user.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Listen) || !Hosting.ListenAddress.TryParse(Listen, out _))
        {
            throw new ArgumentException($"--listen must be host:port, such as 127.0.0.1:8080 or 0.0.0.0:0 (got \"{Listen}\")");
        }
        if (string.IsNullOrWhiteSpace(DataDir))
        {
            throw new ArgumentException("--data-dir must name a directory");
        }
        if (MaxRequestBodyBytes < 1024)
        {
            throw new ArgumentException("--max-request-bytes must be at least 1024");
        }
        if (WatchHistory < 100)
        {
            throw new ArgumentException("--watch-history must be at least 100");
        }
        if (MaxWatchSeconds < 1)
        {
            throw new ArgumentException("--max-watch-seconds must be at least 1");
        }
        ScheduledImport.Validate();
        Triggers.Validate();
        if (MaxConcurrentBuilds < 1)
        {
            throw new ArgumentException("--max-concurrent-builds must be at least 1");
        }
        if (MaxBuildInputBytes < 1024)
        {
            throw new ArgumentException("--max-build-input-bytes must be at least 1024");
        }
        if (MaxRepositoryTags is 0 or < -1)
        {
            throw new ArgumentException("--max-repository-tags must be positive, or -1 for no limit");
        }
        if (ImportPlatform is { Length: > 0 } platform && platform.Split('/').Length is < 2 or > 3)
        {
            throw new ArgumentException($"--import-platform must be os/arch[/variant], such as linux/arm64 (got \"{platform}\")");
        }
        if (RegistryCaBundle is { Length: > 0 } bundle && !File.Exists(bundle))
        {
            throw new ArgumentException($"--registry-ca-bundle: no file \"{bundle}\"");
        }
        if (RegistryMaxManifestBytes < 1024)
        {
            throw new ArgumentException("--registry-max-manifest-bytes must be at least 1024");
        }
        if (RegistryMaxBlobBytes < 0)
        {
            throw new ArgumentException("--registry-max-blob-bytes must be 0 (no limit) or more");
        }
        if (RegistryMaxUploads < 1)
        {
            throw new ArgumentException("--registry-max-uploads must be at least 1");
        }
        if (RegistryUploadExpiryMinutes < 1)
        {
            throw new ArgumentException("--registry-upload-expiry-minutes must be at least 1");
        }
        if (HtpasswdFile is { Length: > 0 } htpasswd && !File.Exists(htpasswd))
        {
            throw new ArgumentException($"--htpasswd-file: no file \"{htpasswd}\"");
        }
        if (TokenLifetime < TimeSpan.FromSeconds(1))
        {
            throw new ArgumentException("--token-lifetime must be at least 1s");
        }
        if (string.IsNullOrEmpty(TlsCertFile) != string.IsNullOrEmpty(TlsPrivateKeyFile))
        {
            throw new ArgumentException("--tls-cert-file and --tls-private-key-file go together: give both or neither");
        }
        foreach (var (flag, file) in new[] { ("--tls-cert-file", TlsCertFile), ("--tls-private-key-file", TlsPrivateKeyFile) })
        {
            if (file is { Length: > 0 } && !File.Exists(file))
            {
                throw new ArgumentException($"{flag}: no file \"{file}\"");
            }
        }
        foreach (var (flag, value) in new[] { ("--allowed-registries-for-import", AllowedRegistriesForImport), ("--blocked-registries", BlockedRegistries), ("--insecure-registries", InsecureRegistries) })
        {
            try
            {
                RegistryPattern.ParseList(value);
            }
            catch (FormatException e)
            {
                throw new ArgumentException($"{flag}: {e.Message}", e);
            }
        }
        if (RegistryHostname is { Length: > 0 } host && (host.Contains('/', StringComparison.Ordinal) || host.Contains(' ', StringComparison.Ordinal)))
        {
            throw new ArgumentException($"--registry-hostname must be host or host:port, without a scheme or path (got \"{host}\")");
        }
    }
}
