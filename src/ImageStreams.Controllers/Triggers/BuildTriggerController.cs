using ImageStreams.Controllers.Queue;
using ImageStreams.Model.Build;
using ImageStreams.Model.Image;
using ImageStreams.Model.Meta;
using ImageStreams.Resources;
using ImageStreams.Resources.Builds;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ImageStreams.Controllers.Triggers;

/// <summary>Settings of the trigger controller.</summary>
public sealed class TriggerOptions
{
    /// <summary>BuildConfigs synced at once (default 4).</summary>
    public int Workers { get; set; } = 4;

    public void Validate()
    {
        if (Workers < 1)
        {
            throw new ArgumentException("--trigger-workers must be at least 1");
        }
    }
}

/// <summary>
/// Starts builds when the tags BuildConfigs watch move. Two watches feed one queue of BuildConfig keys: BuildConfig
/// events keep the <see cref="TriggerIndex"/> current and queue the config itself (new triggers, ConfigChange); image
/// stream events queue exactly the configs watching a tag whose image changed. A sync re-reads the config and the tags,
/// and instantiates when a tag's image differs from <c>status.imageChangeTriggers[].lastTriggeredImageID</c>; the number
/// and the image are taken in one guarded write, so one image starts one build whatever the events, retries and restarts.
/// </summary>
public sealed class BuildTriggerController : BackgroundService
{
    private readonly ResourceSet resources;
    private readonly IRegistryHost registry;
    private readonly TriggerOptions options;
    private readonly ILogger logger;
    private readonly WorkQueue<string> queue;
    private readonly TriggerIndex index = new();
    private readonly TaskCompletionSource configsListed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource streamsListed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public BuildTriggerController(ResourceSet resources, IRegistryHost registry, TriggerOptions options, TimeProvider time, ILogger<BuildTriggerController> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        this.resources = resources;
        this.registry = registry;
        this.options = options;
        this.logger = logger;
        Time = time;
        queue = new WorkQueue<string>(time, TimeSpan.FromMilliseconds(200), TimeSpan.FromMinutes(2));
    }

    private TimeProvider Time { get; }

    /// <summary>Completes once both first lists (BuildConfigs and streams) have been read.</summary>
    public Task Synced => Task.WhenAll(configsListed.Task, streamsListed.Task);

    /// <summary>Keys waiting to be synced.</summary>
    public int QueueLength => queue.Count;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var tasks = Enumerable.Range(0, options.Workers).Select(_ => WorkAsync(stoppingToken))
            .Append(WatchAsync(resources.BuildConfigs, OnConfig, configsListed, stoppingToken))
            .Append(WatchAsync(resources.ImageStreams, OnStream, streamsListed, stoppingToken));
        try
        {
            await Task.WhenAll(tasks).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override void Dispose()
    {
        base.Dispose();
        queue.Dispose();
    }

    private void OnConfig(WatchEvent<BuildConfig> e)
    {
        index.Update(e.Object, e.Type == WatchEvent<BuildConfig>.Deleted);
        if (e.Type != WatchEvent<BuildConfig>.Deleted)
        {
            queue.Add(TriggerIndex.KeyOf(e.Object));
        }
    }

    private void OnStream(WatchEvent<ImageStream> e)
    {
        var stream = e.Object;
        var deleted = e.Type == WatchEvent<ImageStream>.Deleted;
        foreach (var key in index.Moved($"{stream.Metadata.Namespace}/{stream.Metadata.Name}", tag => deleted ? null : BuildTriggers.Resolve(stream, tag)))
        {
            queue.Add(key);
        }
    }

    private async Task WatchAsync<T>(IResourceClient<T> client, Action<WatchEvent<T>> handle, TaskCompletionSource listed, CancellationToken stoppingToken)
        where T : class, IResource
    {
        string? version = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await foreach (var e in client.WatchAsync(null, new WatchOptions(version), stoppingToken).ConfigureAwait(false))
                {
                    version = e.Object.Metadata.ResourceVersion ?? version;
                    if (e.Type == WatchEvent<T>.Bookmark)
                    {
                        listed.TrySetResult();
                        continue;
                    }
                    handle(e);
                }
            }
            catch (ApiException e) when (e.Code == 410)
            {
                version = null;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning("triggers: watch of {Resource} failed, restarting: {Message}", client.Type.Resource, e.Message);
                await Task.Delay(TimeSpan.FromSeconds(1), Time, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    private async Task WorkAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var key = await queue.GetAsync(stoppingToken).ConfigureAwait(false);
            try
            {
                await SyncAsync(key, stoppingToken).ConfigureAwait(false);
                queue.Forget(key);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                var delay = queue.AddRateLimited(key);
                logger.LogWarning("triggers: sync of buildconfig {Key} failed, retrying in {Delay}: {Message}", key, delay, e.Message);
            }
            finally
            {
                queue.Done(key);
            }
        }
    }

    /// <summary>Brings one BuildConfig's builds in line with its triggers; throws to be retried.</summary>
    internal async Task SyncAsync(string key, CancellationToken cancellationToken)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        var (ns, name) = (key[..slash], key[(slash + 1)..]);
        var config = await resources.BuildConfigs.FindAsync(ns, name, cancellationToken).ConfigureAwait(false);
        if (config is null)
        {
            return;
        }
        if (config.Metadata.Annotation(BuildInstantiator.PendingBuildAnnotation) is not null)
        {
            // A crash came between taking a build number and creating the build: finish that first.
            if (await resources.BuildInstantiator.CompletePendingAsync(config, cancellationToken).ConfigureAwait(false) is { } recovered)
            {
                logger.LogInformation("triggers: created {Build}, whose number was taken before an interruption", recovered.Metadata.Name);
            }
            queue.Add(key);
            return;
        }
        if (await DiscoverAsync(config, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        var streams = new Dictionary<string, ImageStream?>();
        var current = new List<(WatchedTag Watched, string Image)>();
        foreach (var watched in BuildTriggers.Watched(config).Where(w => !w.Paused))
        {
            if (!streams.TryGetValue(watched.Tag.StreamKey, out var stream))
            {
                stream = await resources.ImageStreams.FindAsync(watched.Tag.Namespace, watched.Tag.Stream, cancellationToken).ConfigureAwait(false);
                streams[watched.Tag.StreamKey] = stream;
            }
            if (stream is not null && BuildTriggers.Resolve(stream, watched.Tag.Tag) is { } image)
            {
                current.Add((watched, image));
            }
        }

        var lastVersion = config.Status?.LastVersion ?? 0;
        if (lastVersion == 0 && BuildTriggers.HasConfigChangeTrigger(config))
        {
            // The first build; the images the triggers see now are recorded with it, so they do not start a second one.
            var request = new BuildRequest
            {
                Metadata = new ObjectMeta { Name = name },
                LastVersion = 0,
                TriggeredBy = [new BuildTriggerCause { Message = BuildTriggers.ConfigChangeCause }],
            };
            await InstantiateAsync(config, request, [.. current.Select(c => Observed(c.Watched.Tag, c.Image))], cancellationToken).ConfigureAwait(false);
            return;
        }

        // A trigger added to a config that has built before starts watching from the image its tag has now.
        var unseen = lastVersion > 0 ? current.Where(c => BuildTriggers.LastTriggered(config, c.Watched.Tag) is null).ToList() : [];
        if (unseen.Count > 0)
        {
            await RecordAsync(ns, name, unseen.Select(c => Observed(c.Watched.Tag, c.Image)).ToList(), cancellationToken).ConfigureAwait(false);
            return;
        }

        var moved = current.Where(c => BuildTriggers.LastTriggered(config, c.Watched.Tag) != c.Image).ToList();
        if (moved.Count == 0)
        {
            return;
        }
        if (TriggerCycles.Find(config, index.Configs()) is { } cycle)
        {
            logger.LogWarning("triggers: not building {Key}: its image change triggers form a cycle: {Cycle}", key, cycle);
            return;
        }
        var strategyTag = StreamTagKey.Of(config.Spec.Strategy.From, ns);
        var primary = moved.FirstOrDefault(m => m.Watched.Tag == strategyTag);
        if (primary == default)
        {
            primary = moved[0];
        }
        var imageRequest = new BuildRequest
        {
            Metadata = new ObjectMeta { Name = name },
            LastVersion = lastVersion,
            TriggeredByImage = new ObjectReference { Kind = SourceKinds.DockerImage, Name = primary.Image },
            From = new ObjectReference { Kind = SourceKinds.ImageStreamTag, Namespace = primary.Watched.Tag.Namespace, Name = primary.Watched.Tag.Name },
        };
        var others = moved.Where(m => m != primary).Select(m => Observed(m.Watched.Tag, m.Image)).ToList();
        await InstantiateAsync(config, imageRequest, others, cancellationToken).ConfigureAwait(false);
    }

    private async Task InstantiateAsync(BuildConfig config, BuildRequest request, IReadOnlyList<ImageChangeTriggerStatus> observed, CancellationToken cancellationToken)
    {
        var ns = config.Metadata.Namespace!;
        var name = config.Metadata.Name!;
        try
        {
            var build = await resources.BuildInstantiator.InstantiateAsync(ns, name, request, observedImages: observed, cancellationToken: cancellationToken)
                .ConfigureAwait(false);
            logger.LogInformation("triggers: started {Build} ({Cause})", build.Metadata.Name,
                request.TriggeredByImage?.Name ?? BuildTriggers.ConfigChangeCause);
        }
        catch (ApiException e) when (e.Reason == StatusReasons.Conflict)
        {
            // Another writer took the next number or already built this image: look again with what is stored now.
            queue.Add($"{ns}/{name}");
        }
    }

    /// <summary>Records images as seen by triggers that have none yet, without a build.</summary>
    private async Task RecordAsync(string ns, string name, IReadOnlyList<ImageChangeTriggerStatus> seen, CancellationToken cancellationToken)
    {
        await resources.BuildConfigs.GuaranteedUpdateAsync(ns, name, config =>
        {
            bool Same(ImageChangeTriggerStatus a, ImageChangeTriggerStatus b) =>
                a.From?.Name == b.From?.Name && (a.From?.Namespace ?? ns) == (b.From?.Namespace ?? ns);
            var statuses = config.Status?.ImageChangeTriggers ?? [];
            var added = seen.Where(s => !statuses.Any(existing => Same(existing, s) && existing.LastTriggeredImageId is not null)).ToList();
            return added.Count == 0
                ? null
                : config with
                {
                    Status = (config.Status ?? new BuildConfigStatus()) with
                    {
                        ImageChangeTriggers = [.. statuses.Where(existing => !added.Any(a => Same(existing, a))), .. added],
                    },
                };
        }, WriteScope.Status, cancellationToken).ConfigureAwait(false);
    }

    private static ImageChangeTriggerStatus Observed(StreamTagKey tag, string image) =>
        new() { From = new ImageStreamTagReference { Namespace = tag.Namespace, Name = tag.Name }, LastTriggeredImageId = image };

    /// <summary>Adds the trigger the Dockerfile's base asks for; true when the config was written (its event brings it back).</summary>
    private async Task<bool> DiscoverAsync(BuildConfig config, CancellationToken cancellationToken)
    {
        if (DependencyDiscovery.BaseTag(config, registry.HostPort) is not { } tag ||
            BuildTriggers.Watched(config).Any(w => w.Tag == tag) ||
            (config.Metadata.Annotation(BuildTriggers.DiscoveredAnnotation) ?? "").Split(',').Contains(tag.ToString()))
        {
            return false;
        }
        if (await resources.ImageStreams.FindAsync(tag.Namespace, tag.Stream, cancellationToken).ConfigureAwait(false) is null)
        {
            return false;
        }
        var ns = config.Metadata.Namespace!;
        var trigger = new BuildTriggerPolicy
        {
            Type = BuildTriggerTypes.ImageChange,
            ImageChange = new ImageChangeTrigger
            {
                From = new ObjectReference { Kind = SourceKinds.ImageStreamTag, Name = tag.Name, Namespace = tag.Namespace == ns ? null : tag.Namespace },
            },
        };
        var discovered = string.Join(',', (config.Metadata.Annotation(BuildTriggers.DiscoveredAnnotation) ?? "")
            .Split(',', StringSplitOptions.RemoveEmptyEntries).Append(tag.ToString()));
        try
        {
            await resources.BuildConfigs.GuaranteedUpdateAsync(ns, config.Metadata.Name!, c => c with
            {
                Metadata = c.Metadata.WithAnnotation(BuildTriggers.DiscoveredAnnotation, discovered),
                Spec = c.Spec with { Triggers = [.. c.Spec.Triggers ?? [], trigger] },
            }, WriteScope.Main, cancellationToken).ConfigureAwait(false);
            logger.LogInformation("triggers: buildconfig {Namespace}/{Name} builds on {Tag}: image change trigger added", ns, config.Metadata.Name, tag);
            return true;
        }
        catch (ApiException e) when (e.Reason == StatusReasons.Invalid)
        {
            logger.LogWarning("triggers: not adding the trigger on {Tag} found in the Dockerfile of {Namespace}/{Name}: {Message}", tag, ns, config.Metadata.Name, e.Message);
            return false;
        }
    }
}
