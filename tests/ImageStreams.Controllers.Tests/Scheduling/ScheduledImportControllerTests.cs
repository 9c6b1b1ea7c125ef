using ImageStreams.Controllers.Scheduling;
using ImageStreams.Model.Image;
using ImageStreams.Model.Meta;
using ImageStreams.Store;
using ImageStreams.Testing.Http;

namespace ImageStreams.Controllers.Tests.Scheduling;

/// <summary>Scheduled checks against Debian's docker-registry (behind a counting proxy where requests are counted), on a hand-driven clock.</summary>
public sealed class ScheduledImportControllerTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task ScheduledCheck_WhenTheUpstreamTagMoved_AddsAHistoryItemAtTheNextCheck()
    {
        await using var upstream = await UpstreamRegistry.StartAsync();
        await using var harness = await ScheduledImportHarness.StartAsync(new ScheduledImportOptions { Interval = Interval });
        var first = await upstream.PushAsync("team/app:latest", "v1");
        await harness.ImportAsync("app", "latest", $"{upstream.Registry.Host}/team/app:latest");
        await harness.RunAsync();
        await harness.WaitForScheduledAsync("app", 1);
        var due = harness.TagSchedule("app", "latest").NextCheck!.Value;

        var second = await upstream.PushAsync("team/app:latest", "v2");
        await harness.AdvanceToAsync(due - Second, Step);
        Assert.Equal([first], History(await harness.StreamAsync("app"), "latest"));

        await harness.AdvanceAsync(2 * Second, Step);
        Assert.Equal([second, first], History(await harness.StreamAsync("app"), "latest"));
        var schedule = harness.TagSchedule("app", "latest");
        Assert.Equal(CheckResults.Imported, schedule.LastResult);
        Assert.Equal(due + Interval, schedule.NextCheck);
    }

    [Fact]
    public async Task ScheduledCheck_OfAnUnchangedTag_SendsExactlyOneHeadRequestAndWritesNothing()
    {
        await using var upstream = await UpstreamRegistry.StartAsync();
        await using var harness = await ScheduledImportHarness.StartAsync(new ScheduledImportOptions { Interval = Interval });
        await upstream.PushAsync("team/app:latest", "v1");
        await harness.ImportAsync("app", "latest", upstream.ViaProxy("team/app:latest"));
        await harness.RunAsync();
        await harness.WaitForScheduledAsync("app", 1);
        var version = (await harness.StreamAsync("app")).Metadata.ResourceVersion;
        var first = harness.TagSchedule("app", "latest").NextCheck!.Value;
        upstream.Proxy.ClearRequests();

        await harness.AdvanceToAsync(first + (4 * Interval) + Second, TimeSpan.FromSeconds(5));

        var requests = upstream.Proxy.Requests;
        Assert.Equal(5, requests.Count);
        Assert.All(requests, r => Assert.Equal(("HEAD", "/v2/team/app/manifests/latest"), (r.Method, r.Path)));
        Assert.Equal(version, (await harness.StreamAsync("app")).Metadata.ResourceVersion);
        Assert.Equal(CheckResults.Unchanged, harness.TagSchedule("app", "latest").LastResult);
    }

    [Fact]
    public async Task FailingChecks_SetTheConditionBackOffExponentiallyAndClearItOnRecovery()
    {
        await using var upstream = await UpstreamRegistry.StartAsync();
        var options = new ScheduledImportOptions { Interval = Interval, InitialBackoff = TimeSpan.FromSeconds(10), MaxBackoff = TimeSpan.FromMinutes(1) };
        await using var harness = await ScheduledImportHarness.StartAsync(options);
        await upstream.PushAsync("team/app:latest", "v1");
        await harness.ImportAsync("app", "latest", upstream.ViaProxy("team/app:latest"));
        await harness.RunAsync();
        await harness.WaitForScheduledAsync("app", 1);
        var due = harness.TagSchedule("app", "latest").NextCheck!.Value;
        upstream.Proxy.Script("HEAD", "/v2/team/app/manifests/latest", ScriptedResponse.WithStatus(503));
        upstream.Proxy.ClearRequests();

        await harness.AdvanceToAsync(due + Second, Step);
        var condition = Assert.Single((await harness.StreamAsync("app")).StatusTag("latest")!.Conditions!);
        Assert.Equal(("ImportSuccess", "False", StatusReasons.ServiceUnavailable), (condition.Type, condition.Status, condition.Reason));
        var afterFirstFailure = (await harness.StreamAsync("app")).Metadata.ResourceVersion;

        var waits = new List<TimeSpan>();
        for (var failures = 1; failures <= 5; failures++)
        {
            var schedule = harness.TagSchedule("app", "latest");
            Assert.Equal((failures, TagScheduleStates.Backoff), (schedule.ConsecutiveFailures, schedule.State));
            Assert.Contains("503", schedule.LastError, StringComparison.Ordinal);
            waits.Add(schedule.NextRetry!.Value - schedule.LastChecked!.Value);
            if (failures < 5)
            {
                await harness.AdvanceToAsync(schedule.NextRetry.Value, Step);
            }
        }
        Assert.Equal([10, 20, 40, 60, 60], waits.Select(w => (int)w.TotalSeconds));
        Assert.Equal(5, upstream.Proxy.Requests.Count);
        Assert.Equal(afterFirstFailure, (await harness.StreamAsync("app")).Metadata.ResourceVersion);

        upstream.Proxy.Script("HEAD", "/v2/team/app/manifests/latest", ScriptedResponse.Forwarded);
        await harness.AdvanceToAsync(harness.TagSchedule("app", "latest").NextRetry!.Value, Step);

        Assert.Null((await harness.StreamAsync("app")).StatusTag("latest")!.Conditions);
        var recovered = harness.TagSchedule("app", "latest");
        Assert.Equal((0, null, null, CheckResults.Unchanged), (recovered.ConsecutiveFailures, recovered.NextRetry, recovered.LastError, recovered.LastResult));
        Assert.Equal(0, (recovered.NextCheck!.Value - due).Ticks % Interval.Ticks);
    }

    [Fact]
    public async Task TooManyRequests_WithRetryAfter_HoldsBackEveryTagOfThatRegistryOnly_AndDelaysRatherThanSkips()
    {
        await using var upstream = await UpstreamRegistry.StartAsync();
        await using var harness = await ScheduledImportHarness.StartAsync(new ScheduledImportOptions { Interval = Interval });
        await upstream.PushAsync("team/app:latest", "v1");
        var proxied = new[] { "a", "b", "c", "d" };
        await harness.ImportAsync("app", [.. proxied.Select(t => (t, upstream.ViaProxy("team/app:latest"))), ("direct", $"{upstream.Registry.Host}/team/app:latest")]);
        await harness.RunAsync();
        await harness.WaitForScheduledAsync("app", 5);
        var first = proxied.MinBy(t => harness.TagSchedule("app", t).NextCheck)!;
        upstream.Proxy.Script("HEAD", "/v2/team/app/manifests/latest",
            ScriptedResponse.WithStatus(429) with { Headers = new Dictionary<string, string> { ["Retry-After"] = "1200" } },
            ScriptedResponse.Forwarded);
        upstream.Proxy.ClearRequests();

        await harness.AdvanceToAsync(harness.TagSchedule("app", first).NextCheck!.Value + Second, Step);
        var limited = harness.TagSchedule("app", first);
        Assert.Equal(CheckResults.RateLimited, limited.LastResult);
        var pausedUntil = limited.RegistryPausedUntil!.Value;
        Assert.InRange((pausedUntil - limited.LastChecked!.Value).TotalSeconds, 1199, 1201);
        Assert.Equal(StatusReasons.TooManyRequests, (await harness.StreamAsync("app")).StatusTag(first)!.Conditions![0].Reason);

        await harness.AdvanceToAsync(pausedUntil - Second, TimeSpan.FromSeconds(5));
        Assert.Single(upstream.Proxy.Requests);
        Assert.All(proxied.Where(t => t != first), t => Assert.Equal(TagScheduleStates.Delayed, harness.TagSchedule("app", t).State));
        Assert.True(harness.TagSchedule("app", "direct").LastChecked > limited.LastChecked, "the other registry was checked during the pause");

        await harness.AdvanceAsync(3 * Second, Step);
        Assert.Equal(5, upstream.Proxy.Requests.Count);
        Assert.All(proxied, t => Assert.Equal(CheckResults.Unchanged, harness.TagSchedule("app", t).LastResult));
        Assert.Null((await harness.StreamAsync("app")).StatusTag(first)!.Conditions);
    }

    [Fact]
    public async Task Restart_KeepsEveryTagsPhase_AndSpreadsTheNextChecksOverTheInterval()
    {
        await using var upstream = await UpstreamRegistry.StartAsync();
        await using var harness = await ScheduledImportHarness.StartAsync(new ScheduledImportOptions { Interval = Interval });
        await upstream.PushAsync("team/app:latest", "v1");
        var names = new[] { "one", "two", "three" };
        foreach (var name in names)
        {
            await harness.ImportAsync(name, Enumerable.Range(0, 40).Select(i => ($"t{i}", $"{upstream.Registry.Host}/team/app:latest")).ToList());
        }
        await harness.RunAsync();
        foreach (var name in names)
        {
            await harness.WaitForScheduledAsync(name, 40);
        }
        // The imports pushed the first checks an interval on; part of the tags are checked before the restart.
        await harness.AdvanceAsync(Interval + TimeSpan.FromMinutes(3), TimeSpan.FromSeconds(5));
        var before = AllTags(harness, names).ToDictionary(t => t.Key, t => t.Schedule.NextCheck);

        await harness.RestartAsync();
        foreach (var name in names)
        {
            await harness.WaitForScheduledAsync(name, 40);
        }
        Assert.Equal(before, AllTags(harness, names).ToDictionary(t => t.Key, t => t.Schedule.NextCheck));

        var restart = harness.Clock.GetUtcNow();
        var checks = new Dictionary<string, List<DateTimeOffset>>();
        await harness.AdvanceAsync(Interval, TimeSpan.FromSeconds(5), () =>
        {
            foreach (var (key, schedule) in AllTags(harness, names).Where(t => t.Schedule.LastChecked is not null))
            {
                var times = checks.TryGetValue(key, out var list) ? list : checks[key] = [];
                if (!times.Contains(schedule.LastChecked!.Value))
                {
                    times.Add(schedule.LastChecked.Value);
                }
            }
        });
        Assert.Equal(120, checks.Count);
        Assert.All(checks.Values, times => Assert.Single(times));
        var perMinute = checks.Values.GroupBy(t => (int)((t[0] - restart) / TimeSpan.FromMinutes(1))).Select(g => g.Count()).ToList();
        Assert.True(perMinute.Max() <= 24, $"checks per minute after the restart: {string.Join(", ", perMinute)} (mean 12)");
        Assert.True(checks.Values.Count(t => t[0] - restart <= TimeSpan.FromSeconds(10)) <= 6, "no burst right after the restart");
    }

    [Fact]
    public async Task TheInterval_HoldsOverManyCycles()
    {
        await using var upstream = await UpstreamRegistry.StartAsync();
        var interval = TimeSpan.FromSeconds(30);
        await using var harness = await ScheduledImportHarness.StartAsync(new ScheduledImportOptions { Interval = interval });
        await upstream.PushAsync("team/app:latest", "v1");
        var tags = Enumerable.Range(0, 10).Select(i => $"t{i}").ToList();
        await harness.ImportAsync("app", tags.Select(t => (t, upstream.ViaProxy("team/app:latest"))).ToList());
        await harness.RunAsync();
        await harness.WaitForScheduledAsync("app", 10);
        var firstDue = tags.ToDictionary(t => t, t => harness.TagSchedule("app", t).NextCheck!.Value);
        upstream.Proxy.ClearRequests();

        var checks = tags.ToDictionary(t => t, _ => new List<DateTimeOffset>());
        var end = firstDue.Values.Max() + (19 * interval) + Step;
        await harness.AdvanceToAsync(end, Step, () =>
        {
            foreach (var tag in tags)
            {
                if (harness.TagSchedule("app", tag).LastChecked is { } last && !checks[tag].Contains(last))
                {
                    checks[tag].Add(last);
                }
            }
        });

        // Check times are seen at the resolution of the clock's steps; they never drift from the tag's phase.
        Assert.Equal(checks.Values.Sum(t => t.Count), upstream.Proxy.Requests.Count);
        Assert.All(tags, tag =>
        {
            var times = checks[tag];
            Assert.Equal(1 + (int)((end - firstDue[tag]) / interval), times.Count);
            Assert.True(times.Count >= 20);
            Assert.InRange(times[0] - firstDue[tag], TimeSpan.Zero, Step);
            Assert.All(times.Zip(times.Skip(1), (a, b) => b - a), gap => Assert.InRange(gap, interval - Step, interval + Step));
            Assert.InRange(times[^1] - times[0], ((times.Count - 1) * interval) - Step, ((times.Count - 1) * interval) + Step);
        });
    }

    [Fact]
    public async Task AnImportOnDemand_PushesTheTagsNextCheckBackByAnInterval()
    {
        await using var upstream = await UpstreamRegistry.StartAsync();
        await using var harness = await ScheduledImportHarness.StartAsync(new ScheduledImportOptions { Interval = Interval });
        await upstream.PushAsync("team/app:latest", "v1");
        await harness.ImportAsync("app", "latest", upstream.ViaProxy("team/app:latest"));
        await harness.RunAsync();
        await harness.WaitForScheduledAsync("app", 1);
        var due = harness.TagSchedule("app", "latest").NextCheck!.Value;
        await harness.AdvanceToAsync(due - TimeSpan.FromSeconds(30), Step);

        await harness.ImportAsync("app", "latest", upstream.ViaProxy("team/app:latest"));
        Assert.Equal(due + Interval, harness.TagSchedule("app", "latest").NextCheck);
        upstream.Proxy.ClearRequests();

        await harness.AdvanceAsync(TimeSpan.FromMinutes(1), Step);
        Assert.Empty(upstream.Proxy.Requests);
        await harness.AdvanceToAsync(due + Interval + Second, Step);
        Assert.Single(upstream.ManifestRequests());
    }

    [Fact]
    public async Task ADigestPinnedTag_IsCheckedOnlyUntilItsFirstSuccessfulImport()
    {
        await using var upstream = await UpstreamRegistry.StartAsync();
        await using var harness = await ScheduledImportHarness.StartAsync(new ScheduledImportOptions { Interval = Interval });
        var digest = await upstream.BuildAsync("v1");
        await harness.ImportAsync("pinned", "v1", upstream.ViaProxy($"team/pinned@{digest}"));
        Assert.Empty(History(await harness.StreamAsync("pinned"), "v1"));
        await harness.RunAsync();
        await harness.WaitForScheduledAsync("pinned", 1);

        await harness.AdvanceToAsync(harness.TagSchedule("pinned", "v1").NextCheck!.Value + Second, Step);
        Assert.Equal(1, harness.TagSchedule("pinned", "v1").ConsecutiveFailures);

        await upstream.Images.PushAsync("v1", $"{upstream.Registry.Host}/team/pinned:v1");
        await harness.AdvanceToAsync(harness.TagSchedule("pinned", "v1").NextRetry!.Value + Second, Step);
        Assert.Equal([digest], History(await harness.StreamAsync("pinned"), "v1"));
        await harness.WaitForScheduledAsync("pinned", 0);

        upstream.Proxy.ClearRequests();
        await harness.AdvanceAsync(3 * Interval, TimeSpan.FromSeconds(10));
        Assert.Empty(upstream.Proxy.Requests);
    }

    [Fact]
    public async Task ALegacyTagFromAManifestList_CostsOneHeadPerCheckEvenAfterARestart_AndMovesOnlyWhenItsPlatformChanged()
    {
        await using var upstream = await UpstreamRegistry.StartAsync();
        await using var harness = await ScheduledImportHarness.StartAsync(new ScheduledImportOptions { Interval = Interval });
        var amd64 = await upstream.BuildAsync("amd64-v1", "amd64");
        await upstream.BuildAsync("arm64-v1", "arm64");
        var list = await upstream.PushIndexAsync("team/multi:latest", "amd64-v1", "arm64-v1");
        await harness.RunAsync();
        await harness.ImportAsync("multi", "latest", upstream.ViaProxy("team/multi:latest"), ImportModes.Legacy);
        await harness.WaitForScheduledAsync("multi", 1);
        Assert.Equal([amd64], History(await harness.StreamAsync("multi"), "latest"));
        await ScheduledImportHarness.Eventually(() => RecordedManifest(harness) == list, "the list digest to be stored");

        upstream.Proxy.ClearRequests();
        await harness.AdvanceToAsync(harness.TagSchedule("multi", "latest").NextCheck!.Value + Second, Step);
        Assert.Equal(["HEAD"], upstream.ManifestRequests().Select(r => r.Method));

        await harness.RestartAsync();
        await harness.WaitForScheduledAsync("multi", 1);
        upstream.Proxy.ClearRequests();
        await harness.AdvanceToAsync(harness.TagSchedule("multi", "latest").NextCheck!.Value + Second, Step);
        Assert.Equal(["HEAD"], upstream.ManifestRequests().Select(r => r.Method));

        await upstream.BuildAsync("arm64-v2", "arm64");
        var changedList = await upstream.PushIndexAsync("team/multi:latest", "amd64-v1", "arm64-v2");
        var version = (await harness.StreamAsync("multi")).Metadata.ResourceVersion;
        await harness.AdvanceToAsync(harness.TagSchedule("multi", "latest").NextCheck!.Value + Second, Step);
        Assert.Equal(CheckResults.Imported, harness.TagSchedule("multi", "latest").LastResult);
        Assert.Equal(version, (await harness.StreamAsync("multi")).Metadata.ResourceVersion);
        await ScheduledImportHarness.Eventually(() => RecordedManifest(harness) == changedList, "the new list digest to be stored");

        upstream.Proxy.ClearRequests();
        await harness.AdvanceToAsync(harness.TagSchedule("multi", "latest").NextCheck!.Value + Second, Step);
        Assert.Equal(["HEAD"], upstream.ManifestRequests().Select(r => r.Method));
        Assert.Equal(CheckResults.Unchanged, harness.TagSchedule("multi", "latest").LastResult);
    }

    private static IReadOnlyList<string> History(ImageStream stream, string tag) =>
        stream.StatusTag(tag)?.Items.Select(i => i.Image).ToList() ?? [];

    private static IEnumerable<(string Key, TagSchedule Schedule)> AllTags(ScheduledImportHarness harness, IEnumerable<string> names) =>
        names.SelectMany(name => harness.Schedule.Get(ScheduledImportHarness.Namespace, name).Tags.Select(t => ($"{name}:{t.Tag}", t)));

    private static string? RecordedManifest(ScheduledImportHarness harness) =>
        harness.Store.GetAsync(new ObjectKey(ScheduleRecords.Resource, ScheduledImportHarness.Namespace, "multi:latest")).AsTask().Result?
            .Object["manifestDigest"]?.GetValue<string>();
}
