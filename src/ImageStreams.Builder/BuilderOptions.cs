using System.IO.Compression;

namespace ImageStreams.Builder;

/// <summary>Settings of the image builders; checked by <see cref="Validate"/>.</summary>
public sealed class BuilderOptions
{
    /// <summary>Where builds keep their temporary files (layers, buildah's storage, unpacked sources). Default: the system temp directory.</summary>
    public string WorkDirectory { get; set; } = Path.Combine(Path.GetTempPath(), "imagestreams-builds");

    /// <summary>The platform picked from a multi-platform base when the build names none. Default <c>linux/amd64</c>.</summary>
    public string DefaultPlatform { get; set; } = "linux/amd64";

    /// <summary>
    /// The time (Unix seconds) written into configs, history and layer entries, so a build is reproducible. A build
    /// argument <c>SOURCE_DATE_EPOCH</c> overrides it. Default 0 (1970-01-01).
    /// </summary>
    public long SourceDateEpoch { get; set; }

    /// <summary>Layers the native builder pushes or mounts at once. Default 4.</summary>
    public int PushConcurrency { get; set; } = 4;

    /// <summary>The chunk size of a layer copied from another registry (one chunk is held in memory). Default 8 MiB.</summary>
    public int CopyChunkBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>The gzip level of the layers the native builder writes. Default Optimal (zlib's level 6, as Docker's).</summary>
    public CompressionLevel LayerCompression { get; set; } = CompressionLevel.Optimal;

    /// <summary>The buildah command. Default <c>buildah</c> (found on PATH).</summary>
    public string BuildahPath { get; set; } = "buildah";

    /// <summary>The git command. Default <c>git</c> (found on PATH).</summary>
    public string GitPath { get; set; } = "git";

    /// <summary>The longest a buildah or git child process may run. Default 1 hour.</summary>
    public TimeSpan ProcessTimeout { get; set; } = TimeSpan.FromHours(1);

    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public void Validate()
    {
        Require(!string.IsNullOrWhiteSpace(WorkDirectory), nameof(WorkDirectory), "must not be empty");
        Require(TryPlatform(DefaultPlatform), nameof(DefaultPlatform), $"\"{DefaultPlatform}\" is not os/architecture[/variant]");
        Require(SourceDateEpoch >= 0, nameof(SourceDateEpoch), "must not be negative");
        Require(PushConcurrency > 0, nameof(PushConcurrency), "must be positive");
        Require(CopyChunkBytes >= 64 * 1024, nameof(CopyChunkBytes), "must be at least 64 KiB");
        Require(!string.IsNullOrWhiteSpace(BuildahPath), nameof(BuildahPath), "must not be empty");
        Require(!string.IsNullOrWhiteSpace(GitPath), nameof(GitPath), "must not be empty");
        Require(ProcessTimeout > TimeSpan.Zero, nameof(ProcessTimeout), "must be positive");
    }

    private static bool TryPlatform(string value)
    {
        try
        {
            Registry.Manifests.Platform.Parse(value);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static void Require(bool condition, string name, string problem)
    {
        if (!condition)
        {
            throw new ArgumentException($"builder option {name} {problem}", name);
        }
    }
}
