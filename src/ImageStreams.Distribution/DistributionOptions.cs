namespace ImageStreams.Distribution;

/// <summary>Settings of the integrated registry; every limit it applies is one of these. Checked by <see cref="Validate"/>.</summary>
public sealed class DistributionOptions
{
    /// <summary>Where blobs, repository links and uploads live (all on one file system, so finished uploads move by rename). Required.</summary>
    public string RootDirectory { get; set; } = "";

    /// <summary>Larger manifests are refused on push. Default 4 MiB, the limit registries and clients apply.</summary>
    public long MaxManifestBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Larger blobs are refused while they are uploaded (413 SIZE_INVALID); 0 for no limit. Default 0.</summary>
    public long MaxBlobBytes { get; set; }

    /// <summary>Image configs larger than this are not read for an image's metadata (the push still succeeds). Default 8 MiB.</summary>
    public long MaxConfigBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>Uploads in progress at once, over all repositories; one more is refused with TOOMANYREQUESTS. Default 256.</summary>
    public int MaxOpenUploads { get; set; } = 256;

    /// <summary>An upload untouched for this long is abandoned: its data is deleted and its id is unknown. Default 1 hour.</summary>
    public TimeSpan UploadExpiry { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The most entries one page of <c>tags/list</c> or <c>_catalog</c> holds; a larger <c>n</c> is cut to it. Default 1000.</summary>
    public int MaxPageEntries { get; set; } = 1000;

    /// <summary>
    /// The path of the token endpoint a 401 points clients to (<c>WWW-Authenticate: Bearer realm="&lt;scheme&gt;://&lt;host&gt;&lt;path&gt;"</c>,
    /// as OpenShift's registry does with <c>/openshift/token</c>). Null: a Basic challenge. Default null.
    /// </summary>
    public string? TokenRealmPath { get; set; }

    /// <summary>How often abandoned uploads are looked for: a quarter of the expiry, between 1 second and 10 minutes.</summary>
    public TimeSpan SweepInterval =>
        TimeSpan.FromTicks(Math.Clamp(UploadExpiry.Ticks / 4, TimeSpan.TicksPerSecond, TimeSpan.FromMinutes(10).Ticks));

    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public void Validate()
    {
        Require(!string.IsNullOrWhiteSpace(RootDirectory), nameof(RootDirectory), "must name a directory");
        Require(MaxManifestBytes >= 1024, nameof(MaxManifestBytes), "must be at least 1024");
        Require(MaxBlobBytes >= 0, nameof(MaxBlobBytes), "must be 0 (no limit) or more");
        Require(MaxConfigBytes >= 1024, nameof(MaxConfigBytes), "must be at least 1024");
        Require(MaxOpenUploads >= 1, nameof(MaxOpenUploads), "must be at least 1");
        Require(UploadExpiry >= TimeSpan.FromSeconds(1), nameof(UploadExpiry), "must be at least 1 second");
        Require(MaxPageEntries >= 1, nameof(MaxPageEntries), "must be at least 1");
    }

    private static void Require(bool condition, string name, string message)
    {
        if (!condition)
        {
            throw new ArgumentException($"registry option {name} {message}");
        }
    }
}
