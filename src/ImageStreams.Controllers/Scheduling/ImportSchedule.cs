using ImageStreams.Model.Image;
using System.Threading.Channels;
using ImageStreams.Controllers.Import;
using ImageStreams.Controllers.Metrics;
using ImageStreams.Model.Meta;

namespace ImageStreams.Controllers.Scheduling;

/// <summary>
/// The schedule of every scheduled tag, in memory: one small <see cref="TagState"/> per tag, one time-ordered queue of
/// due times, and per registry a queue of due checks waiting for its limits. No timer or task per tag.
/// </summary>
/// <remarks>
/// A tag's checks fall on its own phase of the interval (a hash of its key), so tags are spread evenly, a restart
/// resumes each tag on its phase (no burst, nothing forgotten), and a late check does not move later ones: the interval
/// holds. A check over a limit stays queued until the limit allows it; it is delayed, never dropped. Thread-safe.
/// </remarks>
internal sealed class ImportSchedule : ITagImportObserver, IImageStreamSchedules
{
    private readonly Lock gate = new();
    private readonly ScheduledImportOptions options;
    private readonly TimeProvider time;
    private readonly long interval;
    private readonly Dictionary<StreamId, StreamEntry> streams = [];
    private readonly Dictionary<string, RegistryLimiter> registries = new(StringComparer.Ordinal);
    private readonly List<RegistryLimiter> waiting = [];
    private readonly PriorityQueue<Pending, long> timeline = new();
    private readonly Dictionary<StreamId, Dictionary<string, TagRecord>> unclaimed = [];
    private readonly Dictionary<StreamId, Dictionary<string, (TagImport Import, long Time)>> imported = [];

    /// <summary>Namespaces, tag names, sources and digests repeat across tags: the state of every tag shares one copy of each.</summary>
    private readonly StringPool strings = new();
    private readonly Dictionary<RecordKey, TagState?> dirty = [];
    private readonly Channel<bool> wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly Channel<bool> flush = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private TokenBucket global;
    private int inFlight;
    private int tagCount;
    private bool dispatcherWaiting;
    private bool wakePending;

    /// <summary>When the dispatcher's timer fires next (ticks).</summary>
    private long armed = long.MaxValue;

    public ImportSchedule(ScheduledImportOptions options, TimeProvider time, ScheduledImportMetrics metrics)
    {
        options.Validate();
        this.options = options;
        this.time = time;
        interval = options.Interval.Ticks;
        global = new TokenBucket(options.MaxChecksPerMinute / 60.0, Now);
        metrics.Observe(() => Read(() => tagCount), () => Read(QueueLength), () => Read(() => inFlight), () => Read(OldestDueLagSeconds));
    }

    private long Now => time.GetUtcNow().UtcTicks;

    /// <summary>True when nothing runs and the dispatcher has seen every change (tests wait for it after moving the clock).</summary>
    public bool IsQuiet => Read(() => dispatcherWaiting && !wakePending && inFlight == 0);

    /// <summary>Whether the stream has (or had, until its next sync) scheduled tags.</summary>
    public bool Tracks(string ns, string name)
    {
        var key = StreamKey(ns, name);
        return Read(() => streams.ContainsKey(key) || unclaimed.ContainsKey(key) || imported.ContainsKey(key));
    }

    /// <summary>Keeps the records read from the store until the syncs of their streams claim them; returns the keys (<c>namespace/name</c>) of their streams.</summary>
    public IReadOnlyCollection<string> LoadRecords(IEnumerable<TagRecord> records)
    {
        lock (gate)
        {
            foreach (var record in records)
            {
                var key = StreamKey(record.Namespace, record.Stream);
                if (!unclaimed.TryGetValue(key, out var tags))
                {
                    unclaimed[key] = tags = new Dictionary<string, TagRecord>(StringComparer.Ordinal);
                }
                tags[record.Tag] = record;
            }
            return unclaimed.Keys.Select(k => $"{k.Namespace}/{k.Name}").ToList();
        }
    }

    /// <summary>Brings the stream's tags in line with what its sync found: <paramref name="tags"/> are its scheduled tags, in spec order.</summary>
    public void Sync(string ns, string name, IReadOnlyList<ScheduledTag> tags)
    {
        var key = StreamKey(ns, name);
        lock (gate)
        {
            var now = Now;
            unclaimed.Remove(key, out var records);
            imported.Remove(key, out var imports);
            streams.TryGetValue(key, out var entry);
            var kept = new List<TagState>(tags.Count);
            foreach (var tag in tags)
            {
                if (entry is null)
                {
                    entry = new StreamEntry(strings.Get(ns), name);
                    streams[new StreamId(entry.Namespace, entry.Name)] = entry;
                }
                var state = entry.Find(tag.Tag);
                if (state is null)
                {
                    state = new TagState(entry, strings.Get(tag.Tag), PhaseOf($"{ns}/{name}:{tag.Tag}", interval));
                    tagCount++;
                    Update(state, tag);
                    Restore(state, records?.GetValueOrDefault(tag.Tag), now);
                    if (imports?.GetValueOrDefault(tag.Tag) is { Import.ImageDigest: var image } import && image == tag.ImageDigest)
                    {
                        Imported(state, import.Import, import.Time);
                    }
                    Reschedule(state, state.Due);
                }
                else
                {
                    var registry = state.Registry;
                    Update(state, tag);
                    if (registry != state.Registry && !state.InFlight)
                    {
                        Reschedule(state, state.Due);
                    }
                }
                records?.Remove(tag.Tag);
                kept.Add(state);
            }
            if (entry is not null)
            {
                foreach (var gone in entry.Tags.Where(t => !kept.Contains(t)))
                {
                    Remove(gone);
                }
                entry.Tags = [.. kept];
                if (kept.Count == 0)
                {
                    streams.Remove(key);
                }
            }
            foreach (var orphan in records?.Values ?? Enumerable.Empty<TagRecord>())
            {
                MarkDirty(new RecordKey(orphan.Namespace, orphan.Stream, orphan.Tag), null);
            }
            SignalLocked();
        }
    }

    /// <summary>
    /// The dispatcher's turn: starts what is due and allowed (see <see cref="DispatchLocked"/>). Returns when the schedule
    /// next needs the dispatcher (<see cref="long.MaxValue"/>: only when woken); the dispatcher arms its timer for it.
    /// </summary>
    public long Dispatch(List<TagCheck> started)
    {
        lock (gate)
        {
            wakePending = false;
            var now = Now;
            DispatchLocked(started, now);
            armed = NextWake(now);
            dispatcherWaiting = true;
            return armed;
        }
    }

    /// <summary>
    /// Records the outcome of a check, schedules the tag's next one, and starts in <paramref name="started"/> the checks
    /// its slot lets run, so a busy schedule needs no hand-off to the dispatcher per check.
    /// </summary>
    public void Complete(TagCheck check, CheckOutcome outcome, List<TagCheck> started)
    {
        lock (gate)
        {
            var now = Now;
            Release(check);
            var state = check.State;
            if (outcome.Result == CheckResults.RateLimited)
            {
                check.Registry.PausedUntil = Math.Max(check.Registry.PausedUntil, outcome.RetryAt);
            }
            if (!state.Removed)
            {
                RecordOutcome(state, outcome, now);
            }
            DispatchLocked(started, now);
            if (NextWake(now) < armed)
            {
                SignalLocked();
            }
        }
    }

    private void RecordOutcome(TagState state, CheckOutcome outcome, long now)
    {
        if (outcome.HasCondition is { } hasCondition)
        {
            state.HasCondition = hasCondition;
        }
        long due;
        if (outcome.Result is CheckResults.Failed or CheckResults.RateLimited)
        {
            state.Failures++;
            state.LastError = outcome.Error;
            due = outcome.Result == CheckResults.RateLimited ? outcome.RetryAt : now + options.Backoff(state.Failures).Ticks;
            MarkDirty(state);
        }
        else
        {
            if (state.Failures > 0)
            {
                state.Failures = 0;
                state.LastError = null;
                MarkDirty(state);
            }
            due = SlotAfter(now, state.Phase);
        }
        if (outcome.Result is not null)
        {
            state.LastChecked = now;
            state.LastResult = outcome.Result;
        }
        Reschedule(state, due);
    }

    /// <summary>
    /// Moves due checks to their registries' queues and starts those the limits allow, oldest first, taking turns
    /// between registries. A tag waiting for its spec import is not checked; it moves to its next slot.
    /// </summary>
    private void DispatchLocked(List<TagCheck> started, long now)
    {
        while (timeline.TryPeek(out var pending, out var due) && due <= now)
        {
            timeline.Dequeue();
            if (pending.IsCurrent)
            {
                var registry = pending.State.Registry;
                if (registry.Ready.Count == 0)
                {
                    waiting.Add(registry);
                }
                registry.Ready.Enqueue(pending);
            }
        }
        var progress = true;
        while (progress && inFlight < options.MaxConcurrentChecks && global.Available(now))
        {
            progress = false;
            foreach (var registry in waiting)
            {
                if (inFlight >= options.MaxConcurrentChecks || !global.Available(now))
                {
                    break;
                }
                if (registry.PausedUntil > now || registry.InFlight >= options.MaxConcurrentChecksPerRegistry || !registry.Rate.Available(now)
                    || NextCurrent(registry) is not { } next)
                {
                    continue;
                }
                registry.Ready.Dequeue();
                progress = true;
                if (next.NeedsImport)
                {
                    Reschedule(next, SlotAfter(now, next.Phase));
                    continue;
                }
                global.Take(now);
                registry.Rate.Take(now);
                registry.InFlight++;
                inFlight++;
                next.InFlight = true;
                started.Add(TagCheck.Of(next));
            }
            waiting.RemoveAll(r => r.Ready.Count == 0);
        }
        waiting.RemoveAll(r => NextCurrent(r) is null);
    }

    /// <summary>Gives back the slots of a check that was cancelled (the server stops); the tag keeps its schedule.</summary>
    public void Abandon(TagCheck check)
    {
        lock (gate)
        {
            Release(check);
            if (!check.State.Removed)
            {
                Reschedule(check.State, check.State.Due);
            }
        }
    }

    /// <summary>
    /// An import brought the tag up to date: remember which manifest its image came from, so a HEAD that answers that
    /// digest means "unchanged"; after an import on demand (not a check of ours), the next check moves an interval on.
    /// </summary>
    public void TagImported(TagImport import)
    {
        lock (gate)
        {
            var key = StreamKey(import.Namespace, import.Stream);
            if (streams.TryGetValue(key, out var entry) && entry.Find(import.Tag) is { } state)
            {
                Imported(state, import, Now);
                if (!state.InFlight)
                {
                    Reschedule(state, state.Due);
                    SignalLocked();
                }
            }
            else if (import.Scheduled)
            {
                // A new tag whose stream's sync has not run yet: that sync picks the import up.
                if (!imported.TryGetValue(key, out var tags))
                {
                    imported[key] = tags = new Dictionary<string, (TagImport, long)>(StringComparer.Ordinal);
                }
                tags[import.Tag] = (import, Now);
            }
        }
    }

    public ImageStreamSchedule Get(string ns, string name)
    {
        lock (gate)
        {
            var now = Now;
            var tags = !streams.TryGetValue(StreamKey(ns, name), out var entry) ? [] : entry.Tags.Select(state => new TagSchedule
            {
                Tag = state.Tag,
                From = state.From,
                State = StateOf(state, now),
                LastChecked = Time(state.LastChecked),
                LastResult = state.LastResult,
                NextCheck = state.InFlight ? null : Time(state.Due),
                NextRetry = state.InFlight || state.Failures == 0 ? null : Time(state.Due),
                ConsecutiveFailures = state.Failures,
                LastError = state.LastError,
                RegistryPausedUntil = state.Registry.PausedUntil > now ? Time(state.Registry.PausedUntil) : null,
            }).ToList();
            return new ImageStreamSchedule
            {
                Metadata = new ObjectMeta { Name = name, Namespace = ns },
                Enabled = options.Enabled,
                Interval = Durations.Format(options.Interval),
                Now = new DateTimeOffset(now, TimeSpan.Zero),
                Tags = tags,
            };
        }
    }

    /// <summary>Records to write or delete (null) since the last call, each as it should now be stored.</summary>
    public List<(RecordKey Key, TagRecord? Record)> TakeDirtyRecords()
    {
        lock (gate)
        {
            var changes = new List<(RecordKey, TagRecord?)>(dirty.Count);
            foreach (var (key, state) in dirty)
            {
                var record = state is { Removed: false } ? RecordOf(state) : null;
                // Nothing stored and nothing to store: no write.
                if (record is not null || state is not { Removed: false, HasRecord: false })
                {
                    changes.Add((key, record));
                }
            }
            dirty.Clear();
            return changes;
        }
    }

    /// <summary>The store now holds (or no longer holds) the tag's record.</summary>
    public void RecordStored(RecordKey key, bool exists)
    {
        lock (gate)
        {
            if (streams.TryGetValue(StreamKey(key.Namespace, key.Stream), out var entry) && entry.Find(key.Tag) is { } state)
            {
                state.HasRecord = exists;
            }
        }
    }

    /// <summary>A record write failed: try again with the next batch.</summary>
    public void RecordFailed(RecordKey key)
    {
        lock (gate)
        {
            var state = streams.TryGetValue(StreamKey(key.Namespace, key.Stream), out var entry) ? entry.Find(key.Tag) : null;
            dirty.TryAdd(key, state);
        }
    }

    /// <summary>Wakes the dispatcher.</summary>
    public void Signal()
    {
        lock (gate)
        {
            SignalLocked();
        }
    }

    /// <summary>Waits until something changed that the dispatcher must look at (wake-ups coalesce).</summary>
    public async ValueTask WaitForWorkAsync(CancellationToken cancellationToken) => await wake.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>Waits until a record needs writing (signals coalesce).</summary>
    public async ValueTask WaitForRecordsAsync(CancellationToken cancellationToken) => await flush.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>Where a tag's checks fall within the interval: a stable hash of its key, so restarts keep it.</summary>
    internal static long PhaseOf(string key, long interval)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in key)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }
        // FNV-1a's low bits are weak; this finaliser (splitmix64's) spreads every input bit over them.
        hash = (hash ^ (hash >> 30)) * 0xbf58476d1ce4e5b9UL;
        hash = (hash ^ (hash >> 27)) * 0x94d049bb133111ebUL;
        hash ^= hash >> 31;
        return (long)(hash % (ulong)interval);
    }

    private static StreamId StreamKey(string ns, string name) => new(ns, name);

    private static DateTimeOffset? Time(long ticks) => ticks == 0 ? null : new DateTimeOffset(ticks, TimeSpan.Zero);

    private T Read<T>(Func<T> read)
    {
        lock (gate)
        {
            return read();
        }
    }

    private void SignalLocked()
    {
        wakePending = true;
        wake.Writer.TryWrite(true);
    }

    private void Update(TagState state, ScheduledTag tag)
    {
        state.From = strings.Get(tag.From);
        state.Insecure = tag.Insecure;
        state.ImageDigest = strings.Get(tag.ImageDigest);
        state.HasCondition = tag.HasCondition;
        state.NeedsImport = tag.NeedsImport;
        if (!registries.TryGetValue(tag.Registry, out var registry))
        {
            registries[tag.Registry] = registry = new RegistryLimiter(tag.Registry, new TokenBucket(options.MaxChecksPerSecondPerRegistry, Now));
        }
        state.Registry = registry;
    }

    /// <summary>Picks up a stored record: the manifest a list tag came from, and a failing tag's backoff.</summary>
    private void Restore(TagState state, TagRecord? record, long now)
    {
        state.Due = SlotAfter(now, state.Phase);
        if (record is null)
        {
            return;
        }
        state.HasRecord = true;
        state.ManifestDigest = strings.Get(record.ManifestDigest);
        state.ManifestImage = strings.Get(record.ImageDigest);
        state.Failures = record.ConsecutiveFailures;
        state.LastError = record.LastError;
        // A retry time that passed while the server was down falls back to the tag's phase, so failing tags do not all retry at once.
        if (record.NextRetry is { } retry && retry.UtcTicks > now)
        {
            state.Due = retry.UtcTicks;
        }
    }

    /// <summary>Applies an import made at <paramref name="at"/>; one that was not our own check also moves the next check an interval on.</summary>
    private void Imported(TagState state, TagImport import, long at)
    {
        state.ImageDigest = strings.Get(import.ImageDigest);
        var (manifest, image) = import.ManifestDigest == import.ImageDigest ? (null, null) : (strings.Get(import.ManifestDigest), state.ImageDigest);
        if (state.ManifestDigest != manifest || state.ManifestImage != image)
        {
            state.ManifestDigest = manifest;
            state.ManifestImage = image;
            MarkDirty(state);
        }
        if (state.InFlight)
        {
            return;
        }
        if (state.Failures > 0)
        {
            state.Failures = 0;
            state.LastError = null;
            MarkDirty(state);
        }
        state.NeedsImport = false;
        state.HasCondition = false;
        state.Due = SlotAtOrAfter(at + interval, state.Phase);
    }

    private void Remove(TagState state)
    {
        state.Removed = true;
        state.Version++;
        tagCount--;
        if (state.HasRecord)
        {
            MarkDirty(new RecordKey(state.Stream.Namespace, state.Stream.Name, state.Tag), null);
        }
    }

    private void Reschedule(TagState state, long due)
    {
        state.Due = due;
        state.Version++;
        if (!state.InFlight)
        {
            timeline.Enqueue(new Pending(state, state.Version), due);
        }
    }

    private void Release(TagCheck check)
    {
        check.State.InFlight = false;
        check.Registry.InFlight--;
        inFlight--;
    }

    private void MarkDirty(TagState state) => MarkDirty(new RecordKey(state.Stream.Namespace, state.Stream.Name, state.Tag), state);

    private void MarkDirty(RecordKey key, TagState? state)
    {
        dirty[key] = state;
        flush.Writer.TryWrite(true);
    }

    private static TagRecord? RecordOf(TagState state) =>
        state.ManifestDigest is null && state.Failures == 0
            ? null
            : new TagRecord(state.Stream.Namespace, state.Stream.Name, state.Tag)
            {
                ManifestDigest = state.ManifestDigest,
                ImageDigest = state.ManifestImage,
                ConsecutiveFailures = state.Failures,
                LastError = state.LastError,
                NextRetry = state.Failures > 0 ? new DateTimeOffset(state.Due, TimeSpan.Zero) : null,
            };

    /// <summary>The registry's oldest queued check that is still wanted, dropping superseded entries in front of it.</summary>
    private static TagState? NextCurrent(RegistryLimiter registry)
    {
        while (registry.Ready.TryPeek(out var pending))
        {
            if (pending.IsCurrent)
            {
                return pending.State;
            }
            registry.Ready.Dequeue();
        }
        return null;
    }

    private long NextWake(long now)
    {
        var next = timeline.TryPeek(out _, out var due) ? due : long.MaxValue;
        if (waiting.Count > 0 && inFlight < options.MaxConcurrentChecks)
        {
            var earliest = long.MaxValue;
            foreach (var registry in waiting)
            {
                // A registry held only by its concurrency limit is woken by a completing check, not by time.
                if (registry.PausedUntil > now)
                {
                    earliest = Math.Min(earliest, registry.PausedUntil);
                }
                else if (registry.InFlight < options.MaxConcurrentChecksPerRegistry)
                {
                    earliest = Math.Min(earliest, registry.Rate.NextAvailable(now));
                }
            }
            if (earliest != long.MaxValue)
            {
                next = Math.Min(next, Math.Max(earliest, global.NextAvailable(now)));
            }
        }
        return next;
    }

    private int QueueLength() => waiting.Sum(r => r.Ready.Count);

    private double OldestDueLagSeconds()
    {
        var oldest = long.MaxValue;
        foreach (var registry in waiting)
        {
            if (NextCurrent(registry) is { } state)
            {
                oldest = Math.Min(oldest, state.Due);
            }
        }
        return oldest == long.MaxValue ? 0 : Math.Max(0, Now - oldest) / (double)TimeSpan.TicksPerSecond;
    }

    private static string StateOf(TagState state, long now) => state switch
    {
        { InFlight: true } => TagScheduleStates.Checking,
        { NeedsImport: true } => TagScheduleStates.PendingImport,
        _ when state.Due <= now || state.Registry.PausedUntil > state.Due => TagScheduleStates.Delayed,
        { Failures: > 0 } => TagScheduleStates.Backoff,
        _ => TagScheduleStates.Scheduled,
    };

    /// <summary>The first of the tag's slots after <paramref name="time"/>.</summary>
    private long SlotAfter(long time, long phase) => time - Mod(time - phase) + interval;

    /// <summary>The first of the tag's slots at or after <paramref name="time"/>.</summary>
    private long SlotAtOrAfter(long time, long phase) => Mod(time - phase) == 0 ? time : SlotAfter(time, phase);

    private long Mod(long value)
    {
        var rest = value % interval;
        return rest < 0 ? rest + interval : rest;
    }
}

/// <summary>What a stream's sync tells the schedule about one of its scheduled tags.</summary>
/// <param name="Registry">The registry host, lower case: the key of the per-registry limits.</param>
/// <param name="ImageDigest">The image of the tag's newest history item; null before its first import.</param>
/// <param name="HasCondition">Whether the tag carries a failed-import condition (cleared when a check succeeds).</param>
/// <param name="NeedsImport">Whether its spec asks for an import the import controller has yet to make.</param>
internal sealed record ScheduledTag(string Tag, string From, string Registry, bool Insecure, string? ImageDigest, bool HasCondition, bool NeedsImport);

/// <summary>The state of one scheduled tag: small, since there may be 100,000.</summary>
internal sealed class TagState(StreamEntry stream, string tag, long phase)
{
    public StreamEntry Stream { get; } = stream;
    public string Tag { get; } = tag;

    /// <summary>Where in the interval the tag's checks fall, in ticks.</summary>
    public long Phase { get; } = phase;

    public string From { get; set; } = "";
    public RegistryLimiter Registry { get; set; } = null!;
    public bool Insecure { get; set; }
    public bool HasCondition { get; set; }
    public bool NeedsImport { get; set; }
    public string? ImageDigest { get; set; }

    /// <summary>For a tag imported from a list (Legacy): the list digest and the child it gave, kept in the store.</summary>
    public string? ManifestDigest { get; set; }
    public string? ManifestImage { get; set; }

    public int Failures { get; set; }
    public string? LastError { get; set; }
    public long Due { get; set; }
    public long LastChecked { get; set; }
    public string? LastResult { get; set; }

    /// <summary>Bumped whenever the tag is rescheduled, so queue entries made before are ignored.</summary>
    public int Version { get; set; }
    public bool InFlight { get; set; }
    public bool Removed { get; set; }
    public bool HasRecord { get; set; }
}

internal sealed class StreamEntry(string ns, string name)
{
    public string Namespace { get; } = ns;
    public string Name { get; } = name;

    /// <summary>Its scheduled tags in spec order; an array sized to them (most streams have one).</summary>
    public TagState[] Tags { get; set; } = [];

    public TagState? Find(string tag) => Array.Find(Tags, t => t.Tag == tag);
}

/// <summary>A stream's namespace and name: the key of its schedule, without a string made of both.</summary>
internal readonly record struct StreamId(string Namespace, string Name);

/// <summary>The limits and the queue of due checks of one registry host.</summary>
internal sealed class RegistryLimiter(string host, TokenBucket rate)
{
    public string Host { get; } = host;
    public TokenBucket Rate = rate;
    public int InFlight { get; set; }

    /// <summary>Until when (ticks) the registry asked, with a 429, to be left alone.</summary>
    public long PausedUntil { get; set; }

    public Queue<Pending> Ready { get; } = new();
}

/// <summary>A queued check; superseded once the tag is rescheduled.</summary>
internal readonly record struct Pending(TagState State, int Version)
{
    public bool IsCurrent => Version == State.Version && !State.Removed && !State.InFlight;
}

/// <summary>A check to make: what the tag was when it started, so syncs running meanwhile cannot change it halfway.</summary>
internal sealed record TagCheck(
    TagState State, RegistryLimiter Registry, string Namespace, string Stream, string Tag, string From, bool Insecure,
    bool HasCondition, string? LastError, string? ImageDigest, string? ManifestDigest, string? ManifestImage)
{
    public static TagCheck Of(TagState state) => new(
        state, state.Registry, state.Stream.Namespace, state.Stream.Name, state.Tag, state.From, state.Insecure,
        state.HasCondition, state.LastError, state.ImageDigest, state.ManifestDigest, state.ManifestImage);

    /// <summary>
    /// Whether a HEAD digest is what the tag already has: its image's, or the list its image was chosen from (while the
    /// tag still has that image).
    /// </summary>
    public bool Matches(string digest) =>
        digest == ImageDigest || (digest == ManifestDigest && ManifestImage == ImageDigest);
}

/// <summary>How a check ended.</summary>
/// <param name="Result">One of <see cref="CheckResults"/>; null when the check found its tag gone.</param>
/// <param name="RetryAt">For <see cref="CheckResults.RateLimited"/>: when the registry may be asked again (ticks).</param>
/// <param name="HasCondition">Whether the tag now carries a failed-import condition, when the check knows.</param>
/// <param name="TagChanged">Whether the tag moved to a new image.</param>
internal readonly record struct CheckOutcome(string? Result, string? Error = null, long RetryAt = 0, bool? HasCondition = null, bool TagChanged = false);
