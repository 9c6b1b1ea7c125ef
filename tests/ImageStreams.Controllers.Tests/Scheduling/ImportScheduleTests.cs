using ImageStreams.Model.Image;
using ImageStreams.Controllers.Import;
using ImageStreams.Controllers.Metrics;
using ImageStreams.Controllers.Scheduling;
using ImageStreams.Testing.Time;

namespace ImageStreams.Controllers.Tests.Scheduling;

/// <summary>The schedule on its own: due times, limits and fairness, with checks completed by hand.</summary>
public sealed class ImportScheduleTests : IDisposable
{
    private readonly ManualTimeProvider clock = new();
    private readonly ScheduledImportMetrics metrics = new();

    [Fact]
    public void Phases_OfManyTags_AreSpreadEvenlyOverTheInterval()
    {
        var interval = TimeSpan.FromMinutes(15).Ticks;
        var buckets = new int[60];
        for (var i = 0; i < 10_000; i++)
        {
            buckets[ImportSchedule.PhaseOf($"ns-{i % 37}/stream-{i}:latest", interval) * 60 / interval]++;
        }
        Assert.InRange(buckets.Min(), 110, 167);
        Assert.InRange(buckets.Max(), 167, 225);
    }

    [Fact]
    public void ChecksOverTheGlobalRate_AreDelayedInDueOrder_NeverDropped()
    {
        var schedule = Schedule(new ScheduledImportOptions { Interval = TimeSpan.FromMinutes(1), MaxChecksPerMinute = 6 });
        schedule.Sync("ns", "app", Tags(30, "registry.example"));

        var checks = RunFor(schedule, TimeSpan.FromMinutes(6));

        var firstRound = checks.Take(30).Select(c => c.Tag).ToList();
        Assert.Equal(30, firstRound.Distinct().Count());
        Assert.All(checks.Zip(checks.Skip(1), (a, b) => b.At - a.At), gap => Assert.True(gap >= TimeSpan.FromSeconds(10), $"checks {gap} apart"));
        Assert.InRange(checks.Count, 35, 37);
    }

    [Fact]
    public void ARegistryAtItsConcurrencyLimit_HoldsOnlyItsOwnChecks()
    {
        var schedule = Schedule(new ScheduledImportOptions { Interval = TimeSpan.FromSeconds(1), MaxConcurrentChecksPerRegistry = 2 });
        schedule.Sync("ns", "slow", Tags(10, "slow.example"));
        schedule.Sync("ns", "fast", Tags(2, "fast.example"));
        clock.Advance(TimeSpan.FromSeconds(1));

        var started = new List<TagCheck>();
        schedule.Dispatch(started);

        Assert.Equal(2, started.Count(c => c.Registry.Host == "slow.example"));
        Assert.Equal(2, started.Count(c => c.Registry.Host == "fast.example"));
        var next = new List<TagCheck>();
        schedule.Complete(started.First(c => c.Registry.Host == "slow.example"), new CheckOutcome(CheckResults.Unchanged), next);
        Assert.Equal("slow.example", Assert.Single(next).Registry.Host);
    }

    [Fact]
    public void ARateLimitedRegistry_StartsNothingUntilItsRetryAfter_ThenEveryDelayedCheckOnce()
    {
        var schedule = Schedule(new ScheduledImportOptions { Interval = TimeSpan.FromMinutes(1) });
        schedule.Sync("ns", "app", Tags(20, "registry.example"));
        var checks = new List<TagCheck>();
        while (checks.Count == 0)
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            schedule.Dispatch(checks);
        }
        var retryAt = (clock.GetUtcNow() + TimeSpan.FromMinutes(5)).UtcTicks;
        var more = new List<TagCheck>();
        schedule.Complete(checks[0], new CheckOutcome(CheckResults.RateLimited, "429", retryAt), more);
        Assert.Empty(more);

        var during = RunFor(schedule, TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1));
        Assert.Empty(during);
        Assert.All(schedule.Get("ns", "app").Tags.Where(t => t.Tag != checks[0].Tag), t => Assert.Equal(TagScheduleStates.Delayed, t.State));

        var after = RunFor(schedule, TimeSpan.FromSeconds(1));
        Assert.Equal(20, after.Count);
        Assert.Equal(20, after.Select(c => c.Tag).Distinct().Count());
    }

    [Fact]
    public void AnImportOnDemand_OfATagNotYetSynced_IsAppliedWhenItsStreamIs()
    {
        var interval = TimeSpan.FromMinutes(10);
        var schedule = Schedule(new ScheduledImportOptions { Interval = interval });
        schedule.TagImported(new TagImport("ns", "app", "t0", "sha256:list", "sha256:child", Scheduled: true));
        clock.Advance(TimeSpan.FromSeconds(3));

        schedule.Sync("ns", "app", [new ScheduledTag("t0", "registry.example/app:t0", "registry.example", false, "sha256:child", false, false)]);

        var next = schedule.Get("ns", "app").Tags[0].NextCheck!.Value;
        Assert.InRange(next - clock.GetUtcNow(), interval - TimeSpan.FromSeconds(3), (2 * interval) - TimeSpan.FromSeconds(3));
        var (key, record) = Assert.Single(schedule.TakeDirtyRecords());
        Assert.Equal((new RecordKey("ns", "app", "t0"), "sha256:list", "sha256:child"), (key, record!.ManifestDigest, record.ImageDigest));
    }

    public void Dispose() => metrics.Dispose();

    [Fact]
    public void TagsOfManyStreams_KeepOneCopyOfEqualStrings()
    {
        var schedule = Schedule(new ScheduledImportOptions { Interval = TimeSpan.FromSeconds(1) });
        // Every sync reads its stream anew: equal values arrive as strings of their own.
        for (var i = 0; i < 3; i++)
        {
            schedule.Sync(Copy("ns"), $"s{i}", [new ScheduledTag(Copy("latest"), Copy("registry.example/app:1"), "registry.example", false, Copy("sha256:a"), false, false)]);
        }
        clock.Advance(TimeSpan.FromSeconds(1));

        var started = new List<TagCheck>();
        schedule.Dispatch(started);

        Assert.Equal(["s0", "s1", "s2"], started.Select(c => c.Stream).Order());
        Assert.All(started, c =>
        {
            Assert.Same(started[0].Namespace, c.Namespace);
            Assert.Same(started[0].Tag, c.Tag);
            Assert.Same(started[0].From, c.From);
            Assert.Same(started[0].ImageDigest, c.ImageDigest);
        });
    }

    private static string Copy(string value) => new(value.AsSpan());

    private ImportSchedule Schedule(ScheduledImportOptions options) => new(options, clock, metrics);

    private static List<ScheduledTag> Tags(int count, string registry) =>
        Enumerable.Range(0, count).Select(i => new ScheduledTag($"t{i}", $"{registry}/app:t{i}", registry, false, "sha256:a", false, false)).ToList();

    /// <summary>Moves the clock second by second, completing every check it starts as unchanged.</summary>
    private List<(string Tag, DateTimeOffset At)> RunFor(ImportSchedule schedule, TimeSpan duration)
    {
        var checks = new List<(string, DateTimeOffset)>();
        var end = clock.GetUtcNow() + duration;
        var started = new List<TagCheck>();
        while (clock.GetUtcNow() < end)
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            started.Clear();
            schedule.Dispatch(started);
            // A completed check starts the next ones allowed, as the controller does.
            for (var i = 0; i < started.Count; i++)
            {
                checks.Add((started[i].Tag, clock.GetUtcNow()));
                schedule.Complete(started[i], new CheckOutcome(CheckResults.Unchanged), started);
            }
        }
        return checks;
    }
}
