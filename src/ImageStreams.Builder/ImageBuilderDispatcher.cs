using ImageStreams.Builder.Buildah;
using ImageStreams.Builder.Dockerfiles;
using ImageStreams.Builder.Native;

namespace ImageStreams.Builder;

/// <summary>
/// Picks the builder of a request: the native one for Dockerfiles it can build (no RUN step, no COPY --from), buildah
/// for the rest and for source builds. A native build that meets something only buildah can do (the base's ONBUILD
/// triggers, a user name in --chown) is built again by buildah.
/// </summary>
internal sealed class ImageBuilderDispatcher(NativeImageBuilder native, BuildahImageBuilder buildah) : IImageBuilder
{
    public async Task<BuildResult> BuildAsync(BuildRequest request, TextWriter log, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(log);
        string why;
        if (request.Strategy == BuildStrategyKind.Source)
        {
            why = "a source build runs the builder image's assemble script";
        }
        else if (NativeSupport.Unsupported(DockerfileSource.Load(request)) is { } reason)
        {
            why = reason;
        }
        else
        {
            try
            {
                return await native.BuildAsync(request, log, cancellationToken).ConfigureAwait(false);
            }
            catch (BuildException ex) when (ex.Reason == BuildReasons.NativeBuildUnsupported)
            {
                why = ex.Message;
            }
        }
        Log(log, $"Building with buildah: {why}");
        try
        {
            return await buildah.BuildAsync(request, log, cancellationToken).ConfigureAwait(false);
        }
        catch (BuildException ex) when (ex.Reason == BuildReasons.BuildahNotInstalled)
        {
            throw new BuildException(ex.Reason, $"this build needs buildah ({why}), which is not installed: apt-get install buildah", ex);
        }
    }

    private static void Log(TextWriter log, string line)
    {
        lock (log)
        {
            log.WriteLine(line);
        }
    }
}
