using System.Runtime.CompilerServices;
using ImageStreams.Controllers.Import;
using ImageStreams.Controllers.Metrics;
using ImageStreams.Controllers.Streams;
using ImageStreams.Model.Image;
using ImageStreams.Model.Meta;
using ImageStreams.Registry.Client;
using ImageStreams.Registry.Errors;
using ImageStreams.Registry.Inspection;
using ImageStreams.Registry.References;
using ImageStreams.Resources;
using ImageStreams.Store;
using Microsoft.Extensions.Logging;
using ModelStatus = ImageStreams.Model.Meta.Status;

namespace ImageStreams.Controllers.Scheduling;

/// <summary>
/// Keeps tags with <c>importPolicy.scheduled: true</c> in sync with their sources. Stream events are synced by key into
/// the <see cref="ImportSchedule"/>; a dispatcher starts the checks it hands out. A check is one HEAD of the source,
/// compared with what the tag has; only a moved digest leads to an import (GETs, and a status write if the image changed).
/// Failures set the tag's ImportSuccess=False condition and back off; a 429 holds back every tag of that registry.
/// </summary>
internal sealed class ScheduledImportController : ImageStreamController
{
    private readonly ResourceSet resources;
    private readonly ImageStreamImporter importer;
    private readonly IImageInspector inspector;
    private readonly ImportSchedule schedule;
    private readonly ScheduleRecords records;
    private readonly NamespaceCredentials credentials;
    private readonly ScheduledImportOptions options;
    private readonly ScheduledImportMetrics metrics;

    /// <summary>
    /// The dispatcher wakes at most once per this: checks that fall due meanwhile start together, at most this late (a
    /// hundredth of the interval, and never more than 100 ms). A wake-up per check would cost a thread hand-off each, more
    /// CPU than the HEAD itself.
    /// </summary>
    private readonly TimeSpan resolution;
    private readonly TaskCompletionSource drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int running;
    private volatile bool stopping;

    public ScheduledImportController(
        ResourceSet resources, IObjectStore store, ImageStreamImporter importer, IImageInspector inspector, ImportSchedule schedule,
        ScheduledImportOptions options, ScheduledImportMetrics metrics, TimeProvider time, ILogger<ScheduledImportController> logger)
        : base(resources.ImageStreams, time, logger, options.Workers)
    {
        options.Validate();
        this.resources = resources;
        this.importer = importer;
        this.inspector = inspector;
        this.schedule = schedule;
        this.options = options;
        this.metrics = metrics;
        records = new ScheduleRecords(store);
        resolution = TimeSpan.FromTicks(Math.Min(TimeSpan.FromMilliseconds(100).Ticks, options.Interval.Ticks / 100));
        credentials = new NamespaceCredentials(resources, time, logger);
    }

    /// <summary>The tags of a stream the schedule checks: registry sources, not reference-only, and a digest only until it is imported.</summary>
    internal static IEnumerable<ScheduledTag> ScheduledTags(ImageStream stream)
    {
        var streamInsecure = stream.Metadata.Annotation(ImageApi.InsecureRepositoryAnnotation) == "true";
        foreach (var tag in stream.Spec.Tags ?? [])
        {
            if (!tag.ImportPolicy.Scheduled || tag.Reference || tag.From?.Kind != SourceKinds.DockerImage
                || !ImageReference.TryParse(tag.From.Name, out var reference))
            {
                continue;
            }
            var latest = TagHistory.Latest(stream, tag.Name);
            if (reference.Digest is not null && latest is not null)
            {
                continue;
            }
            var failed = stream.StatusTag(tag.Name)?.Conditions?.Any(c => c.Type == TagEventConditionTypes.ImportSuccess && c.Status == "False") == true;
            yield return new ScheduledTag(tag.Name, tag.From.Name!, reference.RegistryHost.ToLowerInvariant(), tag.ImportPolicy.Insecure || streamInsecure,
                latest?.Image, failed, TagHistory.NeedsImport(stream, tag));
        }
    }

    protected override IEnumerable<string> KeysFor(string eventType, ImageStream stream)
    {
        var key = KeyOf(stream);
        return ScheduledTags(stream).Any() || schedule.Tracks(stream.Metadata.Namespace!, stream.Metadata.Name!) ? [key] : [];
    }

    protected override async Task SyncAsync(string key, CancellationToken cancellationToken)
    {
        var (ns, name) = SplitKey(key);
        var stream = await resources.ImageStreams.FindAsync(ns, name, cancellationToken).ConfigureAwait(false);
        schedule.Sync(ns, name, stream is null ? [] : ScheduledTags(stream).ToList());
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            // Streams with records but no event (deleted while the server was down) are synced too, which drops their records.
            foreach (var key in schedule.LoadRecords(await records.LoadAsync(stoppingToken).ConfigureAwait(false)))
            {
                Queue.Add(key);
            }
            await Task.WhenAll(
                base.ExecuteAsync(stoppingToken),
                DispatchAsync(stoppingToken),
                WriteRecordsAsync(stoppingToken),
                credentials.WatchAsync(stoppingToken)).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            await ShutDownAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Starts checks when their time comes or the schedule changed; checks that end start the next ones themselves.</summary>
    private async Task DispatchAsync(CancellationToken stoppingToken)
    {
        using var timer = Time.CreateTimer(_ => schedule.Signal(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        var started = new List<TagCheck>();
        while (!stoppingToken.IsCancellationRequested)
        {
            started.Clear();
            var next = schedule.Dispatch(started);
            Start(started, stoppingToken);
            var wait = next == long.MaxValue ? Timeout.InfiniteTimeSpan : TimeSpan.FromTicks(Math.Max(resolution.Ticks, next - Time.GetUtcNow().UtcTicks));
            timer.Change(wait, Timeout.InfiniteTimeSpan);
            await schedule.WaitForWorkAsync(stoppingToken).ConfigureAwait(false);
        }
    }

    private void Start(List<TagCheck> checks, CancellationToken stoppingToken)
    {
        foreach (var check in checks)
        {
            Interlocked.Increment(ref running);
            _ = RunAsync(check, stoppingToken);
        }
    }

    private async Task RunAsync(TagCheck check, CancellationToken stoppingToken)
    {
        // Checks start the next ones on their own stack; a long run of checks that end at once must not overflow it.
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            await Task.Yield();
        }
        try
        {
            CheckOutcome outcome;
            try
            {
                outcome = await CheckAsync(check, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                schedule.Abandon(check);
                return;
            }
            catch (Exception e)
            {
                Logger.LogWarning("scheduled import: checking {Namespace}/{Stream}:{Tag} failed: {Message}", check.Namespace, check.Stream, check.Tag, e.Message);
                outcome = new CheckOutcome(CheckResults.Failed, e.Message);
            }
            if (outcome.Result is { } result)
            {
                metrics.CheckCompleted(result);
            }
            if (outcome.TagChanged)
            {
                metrics.TagChanged();
            }
            var next = new List<TagCheck>();
            schedule.Complete(check, outcome, next);
            if (!stopping)
            {
                Start(next, stoppingToken);
            }
            else
            {
                next.ForEach(schedule.Abandon);
            }
        }
        finally
        {
            if (Interlocked.Decrement(ref running) == 0 && stopping)
            {
                drained.TrySetResult();
            }
        }
    }

    private async Task<CheckOutcome> CheckAsync(TagCheck check, CancellationToken cancellationToken)
    {
        var reference = ImageReference.Parse(check.From);
        var access = new RegistryAccess
        {
            Insecure = check.Insecure,
            Credentials = await credentials.ForNamespaceAsync(check.Namespace, cancellationToken).ConfigureAwait(false),
            // The schedule's backoff is the retry of a failed check: a failing registry gets one HEAD per tag and backoff
            // step, not the client's retries on top, and a check holds its slots for one request.
            MaxRetries = 0,
        };
        string digest;
        try
        {
            digest = (await inspector.HeadAsync(reference, access, cancellationToken).ConfigureAwait(false)).Digest.ToString();
        }
        catch (RegistryException e)
        {
            await SetConditionAsync(check, e.ToStatus(), cancellationToken).ConfigureAwait(false);
            return Failure(check, e.ToStatus(), hasCondition: true);
        }
        if (check.Matches(digest))
        {
            if (check.HasCondition)
            {
                await resources.ImageStreams.GuaranteedUpdateAsync(check.Namespace, check.Stream,
                    current => TagHistory.ClearConditions(current, check.Tag), WriteScope.Status, cancellationToken).ConfigureAwait(false);
            }
            return new CheckOutcome(CheckResults.Unchanged, HasCondition: false);
        }
        return await ImportAsync(check, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The source moved: import the tag as it is now specified; history moves only if its image changed.</summary>
    private async Task<CheckOutcome> ImportAsync(TagCheck check, CancellationToken cancellationToken)
    {
        var stream = await resources.ImageStreams.FindAsync(check.Namespace, check.Stream, cancellationToken).ConfigureAwait(false);
        if (stream?.SpecTag(check.Tag) is not { From: { Kind: SourceKinds.DockerImage, Name: { } from } } spec)
        {
            // The tag is gone or no longer a registry source; its sync drops it.
            return default;
        }
        var request = new ImageStreamImport
        {
            Metadata = new ObjectMeta { Name = check.Stream, Namespace = check.Namespace },
            Spec = new ImageStreamImportSpec
            {
                Import = true,
                Images =
                [
                    new ImageImportSpec
                    {
                        From = new ObjectReference { Kind = SourceKinds.DockerImage, Name = from },
                        To = new LocalObjectReference { Name = check.Tag },
                        ImportPolicy = spec.ImportPolicy,
                        ReferencePolicy = spec.ReferencePolicy,
                    },
                ],
            },
        };
        var result = await importer.ImportAsync(check.Namespace, request, cancellationToken).ConfigureAwait(false);
        var status = result.Status?.Images is [var only] ? only : null;
        if (status?.Image?.Metadata.Name is not { } image || status.Status.State == ModelStatus.Failure)
        {
            // The importer has recorded the failure in the tag's condition.
            return Failure(check, status?.Status ?? new ModelStatus { Message = "the import returned no result" }, hasCondition: true);
        }
        var changed = TagHistory.Latest(stream, check.Tag)?.Image != image;
        if (changed)
        {
            Logger.LogInformation("scheduled import: {Namespace}/{Stream}:{Tag} moved to {Image}", check.Namespace, check.Stream, check.Tag, image);
        }
        return new CheckOutcome(CheckResults.Imported, HasCondition: false, TagChanged: changed);
    }

    private CheckOutcome Failure(TagCheck check, ModelStatus status, bool hasCondition)
    {
        var message = status.Message ?? status.Reason ?? "the check failed";
        if (status.Reason == StatusReasons.TooManyRequests)
        {
            var wait = status.Details?.RetryAfterSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : options.InitialBackoff;
            Logger.LogWarning("scheduled import: registry {Registry} asked to wait {Wait}s; its checks are held back", check.Registry.Host, wait.TotalSeconds);
            return new CheckOutcome(CheckResults.RateLimited, message, (Time.GetUtcNow() + wait).UtcTicks, hasCondition);
        }
        if (check.LastError is null)
        {
            Logger.LogWarning("scheduled import: {Namespace}/{Stream}:{Tag} failed, retrying with backoff: {Message}", check.Namespace, check.Stream, check.Tag, message);
        }
        return new CheckOutcome(CheckResults.Failed, message, HasCondition: hasCondition);
    }

    /// <summary>Records a failed check in the tag's ImportSuccess condition; the same failure again writes nothing.</summary>
    private async Task SetConditionAsync(TagCheck check, ModelStatus status, CancellationToken cancellationToken)
    {
        if (check.HasCondition && check.LastError == status.Message)
        {
            return;
        }
        await resources.ImageStreams.GuaranteedUpdateAsync(check.Namespace, check.Stream, current =>
            current.SpecTag(check.Tag) is null ? current : TagHistory.SetCondition(current, check.Tag, new TagEventCondition
            {
                Type = TagEventConditionTypes.ImportSuccess,
                Status = "False",
                Reason = status.Reason,
                Message = status.Message,
                Generation = TagHistory.LatestObservedGeneration(current, check.Tag),
                LastTransitionTime = Time.GetUtcNow(),
            }), WriteScope.Status, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes changed tag records, one at a time (the order of changes to one tag is kept).</summary>
    private async Task WriteRecordsAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await schedule.WaitForRecordsAsync(stoppingToken).ConfigureAwait(false);
            await FlushRecordsAsync(stoppingToken).ConfigureAwait(false);
        }
    }

    private async Task FlushRecordsAsync(CancellationToken cancellationToken)
    {
        foreach (var (key, record) in schedule.TakeDirtyRecords())
        {
            try
            {
                if (record is null)
                {
                    await records.DeleteAsync(key, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await records.SaveAsync(record, cancellationToken).ConfigureAwait(false);
                }
                schedule.RecordStored(key, record is not null);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Logger.LogWarning("scheduled import: storing the schedule of {Namespace}/{Stream}:{Tag} failed: {Message}", key.Namespace, key.Stream, key.Tag, e.Message);
                schedule.RecordFailed(key);
            }
        }
    }

    /// <summary>Lets running checks end (they are cancelled) and stores what changed, so a restart forgets nothing.</summary>
    private async Task ShutDownAsync()
    {
        stopping = true;
        if (Volatile.Read(ref running) > 0)
        {
            await Task.WhenAny(drained.Task, Task.Delay(TimeSpan.FromSeconds(5), Time)).ConfigureAwait(false);
        }
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(5), Time);
        try
        {
            await FlushRecordsAsync(limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Logger.LogWarning("scheduled import: stopping: not every changed tag record could be stored in time");
        }
    }
}
