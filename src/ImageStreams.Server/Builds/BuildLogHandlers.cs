using System.Globalization;
using ImageStreams.Controllers.Builds;
using ImageStreams.Model.Build;
using ImageStreams.Model.Meta;
using ImageStreams.Resources;
using ImageStreams.Resources.Builds;
using ImageStreams.Server.Api;
using Microsoft.AspNetCore.Http;
using BuildModel = ImageStreams.Model.Build.Build;

namespace ImageStreams.Server.Builds;

/// <summary>
/// A build's log as plain text: what it printed so far, or with <c>?follow=true</c> everything until the build ends,
/// sent as it is written.
/// </summary>
internal sealed class BuildLogStreamer(IResourceClient<BuildModel> builds, BuildFiles files, TimeProvider time)
{
    /// <summary>How often a followed log is checked for new lines and its build for its end.</summary>
    public static readonly TimeSpan FollowInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>How long a build whose number is already taken may take to be stored (the number and the build are two writes).</summary>
    public static readonly TimeSpan CreationGrace = TimeSpan.FromSeconds(10);

    /// <param name="numbered">The build's number was read from its BuildConfig: it exists, or is about to.</param>
    public async Task StreamAsync(HttpContext context, string ns, string name, bool numbered = false)
    {
        var cancellationToken = context.RequestAborted;
        var build = numbered
            ? await NumberedBuildAsync(ns, name, cancellationToken).ConfigureAwait(false)
            : await builds.GetAsync(ns, name, cancellationToken).ConfigureAwait(false);
        var follow = context.Request.Query["follow"] is ["true" or "1"];
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "text/plain; charset=utf-8";
        var path = files.LogPath(ns, name);
        long offset = 0;
        while (true)
        {
            offset = await CopyNewAsync(path, offset, context.Response.Body, cancellationToken).ConfigureAwait(false);
            await context.Response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
            if (!follow || BuildPhases.IsTerminal(build.Status.Phase))
            {
                // What a build wrote before it was stored as ended has been read above.
                return;
            }
            await Task.Delay(FollowInterval, time, cancellationToken).ConfigureAwait(false);
            var current = await builds.FindAsync(ns, name, cancellationToken).ConfigureAwait(false);
            if (current is null)
            {
                return;
            }
            build = current;
        }
    }

    private async Task<BuildModel> NumberedBuildAsync(string ns, string name, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + CreationGrace;
        while (true)
        {
            if (await builds.FindAsync(ns, name, cancellationToken).ConfigureAwait(false) is { } build)
            {
                return build;
            }
            if (time.GetUtcNow() >= deadline)
            {
                return await builds.GetAsync(ns, name, cancellationToken).ConfigureAwait(false);
            }
            await Task.Delay(FollowInterval, time, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<long> CopyNewAsync(string path, long offset, Stream destination, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            return offset;
        }
        try
        {
            var source = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            await using (source.ConfigureAwait(false))
            {
                if (source.Length <= offset)
                {
                    return source.Length < offset ? 0 : offset;
                }
                source.Seek(offset, SeekOrigin.Begin);
                await source.CopyToAsync(destination, cancellationToken).ConfigureAwait(false);
                return source.Position;
            }
        }
        catch (FileNotFoundException)
        {
            return offset;
        }
    }
}

/// <summary><c>GET .../builds/{name}/log</c>.</summary>
internal sealed class BuildLogHandler(BuildLogStreamer streamer) : ISubresourceHandler
{
    public ResourceType Type => ResourceTypes.Builds;

    public string Name => "log";

    public string Verb => "get";

    public Task HandleAsync(HttpContext context, string ns, string name) => streamer.StreamAsync(context, ns, name);
}

/// <summary><c>GET .../buildconfigs/{name}/log</c>: the log of the BuildConfig's latest build.</summary>
internal sealed class BuildConfigLogHandler(IResourceClient<BuildConfig> configs, BuildLogStreamer streamer) : ISubresourceHandler
{
    public ResourceType Type => ResourceTypes.BuildConfigs;

    public string Name => "log";

    public string Verb => "get";

    public async Task HandleAsync(HttpContext context, string ns, string name)
    {
        var config = await configs.GetAsync(ns, name, context.RequestAborted).ConfigureAwait(false);
        var latest = config.Status?.LastVersion ?? 0;
        if (latest == 0)
        {
            throw ApiErrors.BadRequest($"no builds have been started for buildconfig {ns}/{name}");
        }
        var build = context.Request.Query["version"] is [{ Length: > 0 } version] && long.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? n
            : latest;
        await streamer.StreamAsync(context, ns, BuildInstantiator.BuildName(name, build), numbered: true).ConfigureAwait(false);
    }
}
