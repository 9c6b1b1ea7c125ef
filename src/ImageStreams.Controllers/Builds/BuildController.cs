using System.Collections.Concurrent;
using ImageStreams.Builder;
using ImageStreams.Controllers.Queue;
using ImageStreams.Model.Build;
using ImageStreams.Model.Meta;
using ImageStreams.Resources;
using BuildReasons = ImageStreams.Model.Build.BuildReasons;
using Microsoft.Extensions.Logging;
using BuildModel = ImageStreams.Model.Build.Build;
using BuilderRequest = ImageStreams.Builder.BuildRequest;

namespace ImageStreams.Controllers.Builds;

/// <summary>
/// Runs builds. A sync of a build decides from the stored state alone: a new build starts when its BuildConfig's run
/// policy allows (Serial: after every older build ended; SerialLatestOnly: older waiting builds are cancelled; Parallel:
/// at once) and a slot of <see cref="BuildOptions.MaxConcurrentBuilds"/> is free; a running build asked to cancel is
/// stopped; a build stored as Running that this process is not running was cut off by a restart and is marked Failed;
/// an ended build has its BuildConfig's history pruned and lets the next waiting build start.
/// </summary>
internal sealed partial class BuildController : ResourceController<BuildModel>
{
    /// <summary>Lines of the log kept in status.logSnippet of a failed build.</summary>
    public const int LogSnippetLines = 5;

    private readonly ResourceSet resources;
    private readonly IImageBuilder builder;
    private readonly ISourceFetcher fetcher;
    private readonly BuildImages images;
    private readonly BuildFiles files;
    private readonly SemaphoreSlim slots;
    private readonly ConcurrentDictionary<string, CancellationTokenSource> running = new(StringComparer.Ordinal);

    public BuildController(
        ResourceSet resources,
        IImageBuilder builder,
        ISourceFetcher fetcher,
        BuildImages images,
        BuildFiles files,
        BuildOptions options,
        TimeProvider time,
        ILogger<BuildController> logger)
        : base(resources.Builds, time, logger, options.Workers)
    {
        this.resources = resources;
        this.builder = builder;
        this.fetcher = fetcher;
        this.images = images;
        this.files = files;
        slots = new SemaphoreSlim(options.MaxConcurrentBuilds, options.MaxConcurrentBuilds);
    }

    /// <summary>Builds this process is running now.</summary>
    public int Running => running.Count;

    protected override IEnumerable<string> KeysFor(string eventType, BuildModel build) => [KeyOf(build)];

    protected override async Task SyncAsync(string key, CancellationToken cancellationToken)
    {
        var (ns, name) = SplitKey(key);
        var build = await resources.Builds.FindAsync(ns, name, cancellationToken).ConfigureAwait(false);
        if (running.TryGetValue(key, out var run))
        {
            if (build is null || build.Status.Cancelled)
            {
                await run.CancelAsync().ConfigureAwait(false);
            }
            return;
        }
        if (build is null)
        {
            files.Delete(ns, name);
            return;
        }
        switch (build.Status.Phase)
        {
            case var phase when BuildPhases.IsTerminal(phase):
                await EndedAsync(build, cancellationToken).ConfigureAwait(false);
                return;
            case BuildPhases.Running:
                LogInterrupted(Logger, key);
                await FinishAsync(build, BuildPhases.Failed, BuildReasons.BuildInterrupted,
                    "The server stopped while the build was running; start a new build.", cancellationToken).ConfigureAwait(false);
                return;
        }
        if (build.Status.Cancelled)
        {
            await FinishAsync(build, BuildPhases.Cancelled, BuildReasons.CancelledBuild, "The build was cancelled by the user.", cancellationToken).ConfigureAwait(false);
            return;
        }
        if (!await MayStartAsync(build, cancellationToken).ConfigureAwait(false))
        {
            return;
        }
        var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (running.TryAdd(key, cancel))
        {
            _ = Task.Run(() => RunAsync(key, build, cancel, cancellationToken), CancellationToken.None);
        }
        else
        {
            cancel.Dispose();
        }
    }

    /// <summary>Whether the run policy lets this build start now; SerialLatestOnly cancels it when a newer one waits.</summary>
    private async Task<bool> MayStartAsync(BuildModel build, CancellationToken cancellationToken)
    {
        if (build.ConfigName is not { } configName)
        {
            return true;
        }
        var ns = build.Metadata.Namespace!;
        var config = await resources.BuildConfigs.FindAsync(ns, configName, cancellationToken).ConfigureAwait(false);
        var policy = config?.Spec.RunPolicy ?? BuildRunPolicies.Parallel;
        if (policy == BuildRunPolicies.Parallel)
        {
            return true;
        }
        var others = (await SiblingsAsync(ns, configName, cancellationToken).ConfigureAwait(false))
            .Where(b => b.Metadata.Name != build.Metadata.Name && !BuildPhases.IsTerminal(b.Status.Phase))
            .ToList();
        if (policy == BuildRunPolicies.SerialLatestOnly)
        {
            // Only the newest waiting build is kept: this one when it is the newest, else none of the older ones.
            var newest = others.Where(b => IsWaiting(b)).Append(build).MaxBy(b => b.Number)!;
            foreach (var older in others.Where(b => IsWaiting(b) && b.Number < newest.Number).Append(build).Where(b => b != newest))
            {
                await FinishAsync(older, BuildPhases.Cancelled, BuildReasons.CancelledBuild,
                    "The build was cancelled: a newer build of the same BuildConfig was started (run policy SerialLatestOnly).", cancellationToken).ConfigureAwait(false);
            }
            if (newest != build)
            {
                return false;
            }
            others = others.Where(b => !IsWaiting(b)).ToList();
        }
        return !others.Any(b => b.Number < build.Number || b.Status.Phase == BuildPhases.Running || running.ContainsKey(KeyOf(b)));
    }

    /// <summary>A build that has not started: neither stored as Running nor being run here.</summary>
    private bool IsWaiting(BuildModel build) =>
        build.Status.Phase is BuildPhases.New or BuildPhases.Pending && !running.ContainsKey(KeyOf(build));

    private async Task RunAsync(string key, BuildModel build, CancellationTokenSource cancel, CancellationToken stopping)
    {
        try
        {
            if (build.Status.Phase == BuildPhases.New)
            {
                build = await UpdateStatusAsync(build, s => s with { Phase = BuildPhases.Pending }, stopping).ConfigureAwait(false);
            }
            await slots.WaitAsync(cancel.Token).ConfigureAwait(false);
            try
            {
                await ExecuteAsync(build, cancel.Token).ConfigureAwait(false);
            }
            finally
            {
                slots.Release();
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // The server is stopping: the build stays as stored, and the next start marks it interrupted or runs it.
        }
        catch (OperationCanceledException)
        {
            await FinishQuietlyAsync(build, BuildPhases.Cancelled, BuildReasons.CancelledBuild, "The build was cancelled by the user.", stopping).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            LogRunFailed(Logger, key, e.Message);
            await FinishQuietlyAsync(build, BuildPhases.Error, "BuildError", e.Message, stopping).ConfigureAwait(false);
        }
        finally
        {
            running.TryRemove(key, out _);
            cancel.Dispose();
            // Once more: prune, and let the next waiting build of the same BuildConfig start.
            Queue.Add(key);
        }
    }

    /// <summary>Runs one build to its end and stores the outcome; cancellation is left to the caller.</summary>
    private async Task ExecuteAsync(BuildModel build, CancellationToken cancellationToken)
    {
        var ns = build.Metadata.Namespace!;
        var name = build.Metadata.Name!;
        var started = Time.GetUtcNow();
        build = await UpdateStatusAsync(build, s => s with { Phase = BuildPhases.Running, StartTimestamp = started }, cancellationToken).ConfigureAwait(false);
        Directory.CreateDirectory(files.DirectoryOf(ns, name));
        var work = files.WorkDirectory(ns, name);
        var logStream = new FileStream(files.LogPath(ns, name), FileMode.Create, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        var log = new StreamWriter(logStream) { AutoFlush = true };
        await using (log.ConfigureAwait(false))
        {
            try
            {
                var result = await BuildAsync(build, work, log, cancellationToken).ConfigureAwait(false);
                var output = images.Output(ns, build.Spec.Output.To!);
                await log.WriteLineAsync($"Pushed {output.WithDigest(result.ImageDigest)}").ConfigureAwait(false);
                await UpdateStatusAsync(build, s => Ended(s, BuildPhases.Complete, null, null, started) with
                {
                    OutputDockerImageReference = output.ToString(),
                    Output = new BuildStatusOutput { To = new BuildStatusOutputTo { ImageDigest = result.ImageDigest.ToString() } },
                }, CancellationToken.None).ConfigureAwait(false);
            }
            catch (BuildException e) when (!cancellationToken.IsCancellationRequested)
            {
                await log.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
                var snippet = Snippet(files.LogPath(ns, name));
                await UpdateStatusAsync(build, s => Ended(s, BuildPhases.Failed, e.Reason, e.Message, started) with { LogSnippet = snippet },
                    CancellationToken.None).ConfigureAwait(false);
            }
            finally
            {
                if (Directory.Exists(work))
                {
                    Directory.Delete(work, recursive: true);
                }
            }
        }
    }

    /// <summary>Resolves the base, prepares the sources and calls the builder.</summary>
    private async Task<BuildResult> BuildAsync(BuildModel build, string work, StreamWriter log, CancellationToken cancellationToken)
    {
        var ns = build.Metadata.Namespace!;
        var name = build.Metadata.Name!;
        await log.WriteLineAsync($"Build {ns}/{name} ({build.Spec.Strategy.Type} strategy)").ConfigureAwait(false);
        if (build.Spec.Output.To is null)
        {
            throw new BuildException(BuildReasons.InvalidOutputReference, "the build has no output (spec.output.to): there is nowhere to push the image");
        }
        var strategy = build.Spec.Strategy;
        Registry.References.ImageReference? baseImage = null;
        if (strategy.From is { } from)
        {
            baseImage = await images.ResolveBaseAsync(ns, from, cancellationToken).ConfigureAwait(false);
            await log.WriteLineAsync($"Base image {from.Name} resolved to {baseImage}").ConfigureAwait(false);
            await RecordBaseAsync(build, baseImage.ToString(), cancellationToken).ConfigureAwait(false);
        }
        var context = await PrepareSourcesAsync(build, work, log, cancellationToken).ConfigureAwait(false);
        var output = images.Output(ns, build.Spec.Output.To);
        var docker = strategy.DockerStrategy;
        var env = (docker?.Env ?? strategy.SourceStrategy?.Env ?? [])
            .Select(e => new KeyValuePair<string, string>(e.Name, e.Value ?? ""))
            .ToList();
        var request = new BuilderRequest
        {
            Strategy = docker is not null ? BuildStrategyKind.Docker : BuildStrategyKind.Source,
            ContextDirectory = context,
            Dockerfile = string.IsNullOrEmpty(build.Spec.Source.Dockerfile) ? null : build.Spec.Source.Dockerfile,
            DockerfilePath = string.IsNullOrEmpty(docker?.DockerfilePath) ? "Dockerfile" : docker.DockerfilePath,
            Base = baseImage,
            BaseAccess = baseImage is null ? Registry.Client.RegistryAccess.Anonymous : await images.AccessAsync(ns, baseImage, null, cancellationToken).ConfigureAwait(false),
            BuildArgs = (docker?.BuildArgs ?? []).GroupBy(a => a.Name).ToDictionary(g => g.Key, g => g.Last().Value ?? "", StringComparer.Ordinal),
            Environment = env,
            Labels = (build.Spec.Output.ImageLabels ?? []).GroupBy(l => l.Name).ToDictionary(g => g.Key, g => g.Last().Value ?? "", StringComparer.Ordinal),
            NoCache = docker?.NoCache ?? false,
            Output = output,
            OutputAccess = await images.AccessAsync(ns, output, build.Spec.Output.PushSecret?.Name, cancellationToken).ConfigureAwait(false),
        };
        await log.WriteLineAsync($"Pushing to {output}").ConfigureAwait(false);
        return await builder.BuildAsync(request, log, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The build context in the private work directory: a git checkout, an unpacked or single-file upload, or just the inline Dockerfile.</summary>
    private async Task<string> PrepareSourcesAsync(BuildModel build, string work, StreamWriter log, CancellationToken cancellationToken)
    {
        var ns = build.Metadata.Namespace!;
        var name = build.Metadata.Name!;
        var source = build.Spec.Source;
        var root = Path.Combine(work, "src");
        if (Directory.Exists(work))
        {
            Directory.Delete(work, recursive: true);
        }
        Directory.CreateDirectory(root);
        if (source.Git is { } git)
        {
            var gitRef = build.Spec.Revision?.Git?.Commit ?? git.Ref;
            await log.WriteLineAsync($"Cloning \"{git.Uri}\"{(string.IsNullOrEmpty(gitRef) ? "" : $" at {gitRef}")}").ConfigureAwait(false);
            string commit;
            try
            {
                commit = await fetcher.CloneAsync(git.Uri, string.IsNullOrEmpty(gitRef) ? null : gitRef, root, log, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not (BuildException or OperationCanceledException))
            {
                throw new BuildException(BuildReasons.FetchSourceFailed, $"cannot fetch the sources from {git.Uri}: {e.Message}", e);
            }
            await log.WriteLineAsync($"Commit {commit}").ConfigureAwait(false);
            await RecordRevisionAsync(build, commit, cancellationToken).ConfigureAwait(false);
        }
        else if (source.Binary is { } binary)
        {
            var input = files.InputPath(ns, name);
            if (!File.Exists(input))
            {
                throw new BuildException(BuildReasons.MissingBinaryInput, "the build's binary input was not uploaded; start the build with --from-dir, --from-file or --from-archive");
            }
            if (!string.IsNullOrEmpty(binary.AsFile))
            {
                await log.WriteLineAsync($"Receiving the file {binary.AsFile}").ConfigureAwait(false);
                File.Copy(input, Path.Combine(root, binary.AsFile));
            }
            else
            {
                await log.WriteLineAsync("Unpacking the uploaded archive").ConfigureAwait(false);
                var archive = File.OpenRead(input);
                await using (archive.ConfigureAwait(false))
                {
                    await fetcher.ExtractArchiveAsync(archive, root, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        if (string.IsNullOrEmpty(source.ContextDir))
        {
            return root;
        }
        var context = Path.GetFullPath(Path.Combine(root, source.ContextDir));
        if (!context.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal) && context != root)
        {
            throw new BuildException(BuildReasons.FetchSourceFailed, $"contextDir \"{source.ContextDir}\" leaves the sources");
        }
        return Directory.Exists(context)
            ? context
            : throw new BuildException(BuildReasons.FetchSourceFailed, $"contextDir \"{source.ContextDir}\" does not exist in the sources");
    }

    /// <summary>Records the base as OpenShift does: the strategy's from becomes a DockerImage by digest.</summary>
    private async Task RecordBaseAsync(BuildModel build, string pullSpec, CancellationToken cancellationToken)
    {
        var resolved = new ObjectReference { Kind = Model.Image.SourceKinds.DockerImage, Name = pullSpec };
        await resources.Builds.GuaranteedUpdateAsync(build.Metadata.Namespace, build.Metadata.Name!, current =>
        {
            var strategy = current.Spec.Strategy;
            strategy = strategy.DockerStrategy is { } docker
                ? strategy with { DockerStrategy = docker with { From = resolved } }
                : strategy with { SourceStrategy = strategy.SourceStrategy! with { From = resolved } };
            return current with { Spec = current.Spec with { Strategy = strategy } };
        }, WriteScope.All, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Records the commit checked out, as OpenShift does in spec.revision.</summary>
    private Task RecordRevisionAsync(BuildModel build, string commit, CancellationToken cancellationToken) =>
        resources.Builds.GuaranteedUpdateAsync(build.Metadata.Namespace, build.Metadata.Name!, current => current with
        {
            Spec = current.Spec with
            {
                Revision = new SourceRevision { Type = BuildSourceTypes.Git, Git = new GitSourceRevision { Commit = commit } },
            },
        }, WriteScope.All, cancellationToken).AsTask();

    /// <summary>After a build ended: the next waiting build of its BuildConfig may start, and old builds go.</summary>
    private async Task EndedAsync(BuildModel build, CancellationToken cancellationToken)
    {
        if (build.ConfigName is not { } configName)
        {
            return;
        }
        var ns = build.Metadata.Namespace!;
        var siblings = await SiblingsAsync(ns, configName, cancellationToken).ConfigureAwait(false);
        foreach (var waiting in siblings.Where(b => !BuildPhases.IsTerminal(b.Status.Phase)))
        {
            Queue.Add(KeyOf(waiting));
        }
        var config = await resources.BuildConfigs.FindAsync(ns, configName, cancellationToken).ConfigureAwait(false);
        if (config is null)
        {
            return;
        }
        var complete = siblings.Where(b => b.Status.Phase == BuildPhases.Complete)
            .OrderByDescending(b => b.Number).Skip(config.Spec.SuccessfulBuildsHistoryLimit ?? int.MaxValue);
        var failed = siblings.Where(b => b.Status.Phase is BuildPhases.Failed or BuildPhases.Error or BuildPhases.Cancelled)
            .OrderByDescending(b => b.Number).Skip(config.Spec.FailedBuildsHistoryLimit ?? int.MaxValue);
        foreach (var old in complete.Concat(failed))
        {
            try
            {
                await resources.Builds.DeleteAsync(ns, old.Metadata.Name!, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (ApiException e) when (e.Reason == StatusReasons.NotFound)
            {
            }
            files.Delete(ns, old.Metadata.Name!);
        }
    }

    private async Task<IReadOnlyList<BuildModel>> SiblingsAsync(string ns, string configName, CancellationToken cancellationToken) =>
        (await resources.Builds.ListAsync(ns, new ListOptions($"{BuildApi.BuildConfigLabel}={configName}"), cancellationToken).ConfigureAwait(false)).Items;

    private Task<BuildModel> FinishAsync(BuildModel build, string phase, string reason, string message, CancellationToken cancellationToken) =>
        UpdateStatusAsync(build, s => Ended(s, phase, reason, message, s.StartTimestamp), cancellationToken);

    /// <summary>Stores an outcome from a build's own task, where nothing is left to retry a failed write.</summary>
    private async Task FinishQuietlyAsync(BuildModel build, string phase, string reason, string message, CancellationToken stopping)
    {
        try
        {
            await FinishAsync(build, phase, reason, message, stopping).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ApiException or OperationCanceledException or ObjectDisposedException)
        {
            LogRunFailed(Logger, KeyOf(build), e.Message);
        }
    }

    private BuildStatus Ended(BuildStatus status, string phase, string? reason, string? message, DateTimeOffset? started)
    {
        var now = Time.GetUtcNow();
        return status with
        {
            Phase = phase,
            Reason = reason,
            Message = message,
            CompletionTimestamp = now,
            // Go's time.Duration: nanoseconds.
            Duration = started is { } from ? (now - from).Ticks * 100 : null,
        };
    }

    /// <summary>Writes a status change unless the build already ended (a cancellation and a completion may race).</summary>
    private Task<BuildModel> UpdateStatusAsync(BuildModel build, Func<BuildStatus, BuildStatus> change, CancellationToken cancellationToken) =>
        resources.Builds.GuaranteedUpdateAsync(build.Metadata.Namespace, build.Metadata.Name!, current =>
            BuildPhases.IsTerminal(current.Status.Phase) ? null : current with { Status = change(current.Status) },
            WriteScope.Status, cancellationToken).AsTask();

    private static string? Snippet(string logPath)
    {
        try
        {
            using var stream = new FileStream(logPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            var lines = reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
            return string.Join('\n', lines.TakeLast(LogSnippetLines));
        }
        catch (IOException)
        {
            return null;
        }
    }

    public override void Dispose()
    {
        base.Dispose();
        slots.Dispose();
    }

    [LoggerMessage(EventId = 20, Level = LogLevel.Warning, Message = "Build {Key} was running when the server stopped; marked Failed")]
    private static partial void LogInterrupted(ILogger logger, string key);

    [LoggerMessage(EventId = 21, Level = LogLevel.Warning, Message = "Build {Key} ended with an error: {Message}")]
    private static partial void LogRunFailed(ILogger logger, string key, string message);
}
