using ImageStreams.Registry.Client;
using ImageStreams.Registry.References;

namespace ImageStreams.Builder;

/// <summary>Which kind of build a request describes (build.openshift.io's strategy types).</summary>
public enum BuildStrategyKind
{
    /// <summary>A Dockerfile over a context directory.</summary>
    Docker,

    /// <summary>Source-to-image: the builder image's assemble script run over the sources, its run script the command.</summary>
    Source,
}

/// <summary>Everything one build needs, prepared by the caller: sources on disk, the resolved base, where the result goes.</summary>
public sealed record BuildRequest
{
    public BuildStrategyKind Strategy { get; init; } = BuildStrategyKind.Docker;

    /// <summary>The build context: checked-out or unpacked sources (contextDir already applied).</summary>
    public required string ContextDirectory { get; init; }

    /// <summary>An inline Dockerfile; when null the Dockerfile is read from <see cref="DockerfilePath"/> in the context.</summary>
    public string? Dockerfile { get; init; }

    /// <summary>The Dockerfile's path relative to the context directory.</summary>
    public string DockerfilePath { get; init; } = "Dockerfile";

    /// <summary>
    /// The strategy's from, resolved to a digest before the build starts; it replaces the final stage's FROM (for
    /// the source strategy it is the builder image). Null keeps the Dockerfile's own FROM.
    /// </summary>
    public ImageReference? Base { get; init; }

    /// <summary>How to reach the base image's registry.</summary>
    public RegistryAccess BaseAccess { get; init; } = RegistryAccess.Anonymous;

    public IReadOnlyDictionary<string, string> BuildArgs { get; init; } = new Dictionary<string, string>();

    /// <summary>Environment added to the image after the Dockerfile's own (the strategy's env).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Environment { get; init; } = [];

    /// <summary>Labels added to the image (for example io.openshift.build.*).</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>Build every layer again instead of reusing those already in the output repository.</summary>
    public bool NoCache { get; init; }

    /// <summary>Where the image is pushed: a repository and tag.</summary>
    public required ImageReference Output { get; init; }

    /// <summary>How to reach the output registry.</summary>
    public RegistryAccess OutputAccess { get; init; } = RegistryAccess.Anonymous;

    /// <summary>The platform (<c>os/arch[/variant]</c>) picked from a multi-platform base; null for the Dockerfile's <c>--platform</c> or the builder's default (linux/amd64).</summary>
    public string? Platform { get; init; }
}

/// <summary>What a finished build produced.</summary>
public sealed record BuildResult
{
    /// <summary>The digest of the pushed manifest.</summary>
    public required Digest ImageDigest { get; init; }

    /// <summary>The base the image was built on, by digest; null for FROM scratch.</summary>
    public ImageReference? Base { get; init; }

    /// <summary>Which builder made it: "native" or "buildah".</summary>
    public required string Builder { get; init; }

    /// <summary>The blob bytes the build uploaded to the output registry (layers and config; mounted and reused blobs count 0); -1 when the builder cannot tell.</summary>
    public long BytesUploaded { get; init; } = -1;
}

/// <summary>Builds an image from a request and pushes it; progress goes to the log as lines a user reads.</summary>
public interface IImageBuilder
{
    /// <summary>
    /// Builds and pushes. Fails with <see cref="BuildException"/> for a problem of the build itself (a bad
    /// Dockerfile, a missing file, a base that cannot be pulled), with a message for the user and a short reason.
    /// </summary>
    Task<BuildResult> BuildAsync(BuildRequest request, TextWriter log, CancellationToken cancellationToken = default);
}

/// <summary>A build failed for a reason the user can act on.</summary>
public sealed class BuildException(string reason, string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>A short CamelCase reason as OpenShift's Build status.reason (for example DockerBuildFailed, FetchSourceFailed).</summary>
    public string Reason { get; } = reason;
}

/// <summary>Fetches sources into a directory the builder reads.</summary>
public interface ISourceFetcher
{
    /// <summary>Clones a git repository (local path, file:// or remote URL) at a ref (branch, tag or commit; null for the default) into an empty directory; returns the commit checked out.</summary>
    Task<string> CloneAsync(string uri, string? gitRef, string destination, TextWriter log, CancellationToken cancellationToken = default);

    /// <summary>Unpacks a tar archive (optionally gzip-compressed) into a directory, refusing entries that escape it.</summary>
    Task ExtractArchiveAsync(Stream archive, string destination, CancellationToken cancellationToken = default);
}
