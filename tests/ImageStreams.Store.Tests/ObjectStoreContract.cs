using System.Globalization;
using System.Text.Json.Nodes;

namespace ImageStreams.Store.Tests;

/// <summary>
/// What every <see cref="IObjectStore"/> backend must do. A backend's test class derives from this and says how to open its store;
/// each test gets a fresh temporary directory, removed afterwards.
/// </summary>
public abstract class ObjectStoreContract : IAsyncLifetime
{
    protected const string Streams = "imagestreams.image.openshift.io";
    protected const string Secrets = "secrets";

    private readonly List<IObjectStore> _opened = [];
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromSeconds(30));

    protected string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "isb-store-test-" + Guid.NewGuid().ToString("N"));

    /// <summary>Ends a hung watch or write instead of hanging the run.</summary>
    protected CancellationToken Timeout => _timeout.Token;

    /// <summary>Opens the store kept in <paramref name="directory"/>, creating it when empty, or reopening what an earlier store left.</summary>
    protected abstract Task<IObjectStore> OpenStoreAsync(string directory, StoreTestLimits limits);

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(DataDirectory);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        foreach (var store in _opened)
        {
            await store.DisposeAsync();
        }
        _timeout.Dispose();
        Directory.Delete(DataDirectory, recursive: true);
    }

    [Fact]
    public async Task Create_ThenGet_ReturnsTheObjectWithItsResourceVersion()
    {
        var store = await OpenAsync();

        var created = await store.CreateAsync(Stream("ns", "a"), Obj("a", "one"), Timeout);
        var read = await store.GetAsync(Stream("ns", "a"), Timeout);

        Assert.NotNull(read);
        Assert.Equal(Stream("ns", "a"), read.Key);
        Assert.Equal(created.ResourceVersion, read.ResourceVersion);
        Assert.Equal(Version(created.ResourceVersion), VersionIn(created.Object));
        Assert.Equal(Version(created.ResourceVersion), VersionIn(read.Object));
        Assert.Equal("one", ValueOf(read));
        Assert.Equal("a", read.Object["metadata"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Get_WhenMissing_ReturnsNull()
    {
        var store = await OpenAsync();
        await store.CreateAsync(Stream("ns", "a"), Obj("a"), Timeout);

        Assert.Null(await store.GetAsync(Stream("ns", "b"), Timeout));
        Assert.Null(await store.GetAsync(Stream("other", "a"), Timeout));
        Assert.Null(await store.GetAsync(Secret("ns", "a"), Timeout));
    }

    [Fact]
    public async Task Get_ReturnsAFreshObjectThatCallersMayChange()
    {
        var store = await OpenAsync();
        await store.CreateAsync(Stream("ns", "a"), Obj("a", "one"), Timeout);

        var first = await store.GetAsync(Stream("ns", "a"), Timeout);
        first!.Object["spec"]!["value"] = "changed by the caller";
        var second = await store.GetAsync(Stream("ns", "a"), Timeout);

        Assert.Equal("one", ValueOf(second!));
    }

    [Fact]
    public async Task Create_WhenTheKeyIsTaken_FailsWithAlreadyExists()
    {
        var store = await OpenAsync();
        await store.CreateAsync(Stream("ns", "a"), Obj("a", "first"), Timeout);

        var error = await FailsWith(StoreErrorReason.AlreadyExists, () => store.CreateAsync(Stream("ns", "a"), Obj("a", "second"), Timeout));

        Assert.Equal(Stream("ns", "a"), error.Key);
        Assert.Equal("first", ValueOf((await store.GetAsync(Stream("ns", "a"), Timeout))!));
    }

    [Fact]
    public async Task Create_OfTheSameNameInAnotherNamespaceOrResource_Succeeds()
    {
        var store = await OpenAsync();
        await store.CreateAsync(Stream("ns", "a"), Obj("a", "stream"), Timeout);

        await store.CreateAsync(Stream("other", "a"), Obj("a", "other stream"), Timeout);
        await store.CreateAsync(Secret("ns", "a"), Obj("a", "secret"), Timeout);

        Assert.Equal("stream", ValueOf((await store.GetAsync(Stream("ns", "a"), Timeout))!));
        Assert.Equal("other stream", ValueOf((await store.GetAsync(Stream("other", "a"), Timeout))!));
        Assert.Equal("secret", ValueOf((await store.GetAsync(Secret("ns", "a"), Timeout))!));
    }

    [Fact]
    public async Task List_ReturnsTheResourceOrderedByNamespaceAndName_AtTheCurrentVersion()
    {
        var store = await OpenAsync();
        await store.CreateAsync(Stream("b", "x"), Obj("x"), Timeout);
        await store.CreateAsync(Stream("a", "z"), Obj("z"), Timeout);
        await store.CreateAsync(Secret("a", "s"), Obj("s"), Timeout);
        await store.CreateAsync(Stream("a", "y"), Obj("y"), Timeout);

        var all = await store.ListAsync(Streams, null, Timeout);
        var inA = await store.ListAsync(Streams, "a", Timeout);
        var none = await store.ListAsync("builds.build.openshift.io", null, Timeout);

        Assert.Equal([Stream("a", "y"), Stream("a", "z"), Stream("b", "x")], all.Items.Select(i => i.Key));
        Assert.Equal([Stream("a", "y"), Stream("a", "z")], inA.Items.Select(i => i.Key));
        Assert.Empty(none.Items);
        var current = await store.CurrentResourceVersionAsync(Timeout);
        Assert.Equal(current, all.ResourceVersion);
        Assert.Equal(current, none.ResourceVersion);
        Assert.All(all.Items, i => Assert.Equal(Version(i.ResourceVersion), VersionIn(i.Object)));
    }

    [Fact]
    public async Task OpenList_ReadsTheSameObjectsAndVersionAsList()
    {
        var store = await OpenAsync();
        await store.CreateAsync(Stream("b", "x"), Obj("x", "bx"), Timeout);
        await store.CreateAsync(Stream("a", "z"), Obj("z", "az"), Timeout);
        await store.CreateAsync(Secret("a", "s"), Obj("s"), Timeout);
        await store.CreateAsync(Stream("a", "y"), Obj("y", "ay"), Timeout);

        foreach (var ns in new[] { null, "a", "none" })
        {
            var list = await store.ListAsync(Streams, ns, Timeout);
            var read = new List<StoredObject>();
            await using var cursor = await store.OpenListAsync(Streams, ns, Timeout);
            while (await cursor.NextAsync(Timeout) is { } item)
            {
                read.Add(item);
            }

            Assert.Null(await cursor.NextAsync(Timeout));
            Assert.Equal(list.ResourceVersion, cursor.ResourceVersion);
            Assert.Equal(list.Items.Select(i => (i.Key, i.ResourceVersion, ValueOf(i))), read.Select(i => (i.Key, i.ResourceVersion, ValueOf(i))));
        }
    }

    [Fact]
    public async Task OpenList_ReadsOneSnapshot_WhileWritesGoOn()
    {
        var store = await OpenAsync();
        await store.CreateAsync(Stream("a", "x"), Obj("x", "old"), Timeout);
        await store.CreateAsync(Stream("a", "y"), Obj("y", "old"), Timeout);

        await using var cursor = await store.OpenListAsync(Streams, null, Timeout);
        var first = await cursor.NextAsync(Timeout);
        // Writes are not held up by the open cursor, and it does not see them.
        await store.UpdateAsync(Stream("a", "y"), Obj("y", "new"), null, Timeout);
        await store.CreateAsync(Stream("a", "z"), Obj("z"), Timeout);
        await store.DeleteAsync(Stream("a", "x"), null, Timeout);
        var second = await cursor.NextAsync(Timeout);

        Assert.Equal(("x", "old"), (first!.Key.Name, ValueOf(first)));
        Assert.Equal(("y", "old"), (second!.Key.Name, ValueOf(second)));
        Assert.Null(await cursor.NextAsync(Timeout));
        // A watch from the cursor's version sees exactly the writes it missed.
        await using var watch = store.WatchAsync(Streams, null, cursor.ResourceVersion, Timeout).GetAsyncEnumerator(Timeout);
        var missed = await TakeAsync(watch, 3);
        Assert.Equal([StoreEventType.Modified, StoreEventType.Added, StoreEventType.Deleted], missed.Select(e => e.Type));
    }

    [Fact]
    public async Task OpenList_DisposedEarly_LeavesTheStoreReadableAndWritable()
    {
        var store = await OpenAsync();
        await WriteAsync(store, "s", 20);

        for (var i = 0; i < 10; i++)
        {
            var cursor = await store.OpenListAsync(Streams, null, Timeout);
            Assert.NotNull(await cursor.NextAsync(Timeout));
            await cursor.DisposeAsync();
            await Assert.ThrowsAsync<ObjectDisposedException>(async () => await cursor.NextAsync(Timeout));
        }

        await store.CreateAsync(Stream("ns", "after"), Obj("after"), Timeout);
        Assert.Equal(21, (await store.ListAsync(Streams, null, Timeout)).Items.Count);
    }

    [Fact]
    public async Task ReadObjects_DecodeToTheSameValuesAsTheirJsonTrees()
    {
        var store = await OpenAsync();
        await store.CreateAsync(Stream("a", "x"), Obj("x", "first"), Timeout);

        var listed = Assert.Single((await store.ListAsync(Streams, "a", Timeout)).Items);
        var decoded = listed.Decode<System.Text.Json.JsonElement>(System.Text.Json.JsonSerializerOptions.Default);

        Assert.Equal("first", decoded.GetProperty("spec").GetProperty("value").GetString());
        Assert.Equal(Version(listed.ResourceVersion), decoded.GetProperty("metadata").GetProperty("resourceVersion").GetString());
        Assert.Equal("first", ValueOf(listed));
    }

    [Fact]
    public async Task Update_WithTheCurrentResourceVersion_ReplacesTheObject()
    {
        var store = await OpenAsync();
        var created = await store.CreateAsync(Stream("ns", "a"), Obj("a", "one"), Timeout);

        var updated = await store.UpdateAsync(Stream("ns", "a"), Obj("a", "two"), created.ResourceVersion, Timeout);

        Assert.True(updated.ResourceVersion > created.ResourceVersion);
        var read = await store.GetAsync(Stream("ns", "a"), Timeout);
        Assert.Equal("two", ValueOf(read!));
        Assert.Equal(updated.ResourceVersion, read!.ResourceVersion);
        Assert.Equal(Version(updated.ResourceVersion), VersionIn(read.Object));
    }

    [Fact]
    public async Task Update_WithStaleResourceVersion_FailsWithConflict()
    {
        var store = await OpenAsync();
        var created = await store.CreateAsync(Stream("ns", "a"), Obj("a", "one"), Timeout);
        await store.UpdateAsync(Stream("ns", "a"), Obj("a", "two"), created.ResourceVersion, Timeout);

        await FailsWith(StoreErrorReason.Conflict, () => store.UpdateAsync(Stream("ns", "a"), Obj("a", "three"), created.ResourceVersion, Timeout));

        Assert.Equal("two", ValueOf((await store.GetAsync(Stream("ns", "a"), Timeout))!));
    }

    [Fact]
    public async Task Update_WithoutAnExpectedVersion_ReplacesWhateverIsStored()
    {
        var store = await OpenAsync();
        var created = await store.CreateAsync(Stream("ns", "a"), Obj("a", "one"), Timeout);
        await store.UpdateAsync(Stream("ns", "a"), Obj("a", "two"), created.ResourceVersion, Timeout);

        var updated = await store.UpdateAsync(Stream("ns", "a"), Obj("a", "three"), null, Timeout);

        Assert.Equal("three", ValueOf((await store.GetAsync(Stream("ns", "a"), Timeout))!));
        Assert.Equal(await store.CurrentResourceVersionAsync(Timeout), updated.ResourceVersion);
    }

    [Fact]
    public async Task Update_WhenMissing_FailsWithNotFound()
    {
        var store = await OpenAsync();

        var error = await FailsWith(StoreErrorReason.NotFound, () => store.UpdateAsync(Stream("ns", "a"), Obj("a"), null, Timeout));

        Assert.Equal(Stream("ns", "a"), error.Key);
        Assert.Null(await store.GetAsync(Stream("ns", "a"), Timeout));
    }

    [Fact]
    public async Task Delete_RemovesTheObject_AndReturnsItsLastStateAtTheDeletionVersion()
    {
        var store = await OpenAsync();
        var created = await store.CreateAsync(Stream("ns", "a"), Obj("a", "last"), Timeout);

        var deleted = await store.DeleteAsync(Stream("ns", "a"), created.ResourceVersion, Timeout);

        Assert.Null(await store.GetAsync(Stream("ns", "a"), Timeout));
        Assert.Equal("last", ValueOf(deleted));
        Assert.Equal(created.ResourceVersion + 1, deleted.ResourceVersion);
        Assert.Equal(Version(deleted.ResourceVersion), VersionIn(deleted.Object));
        Assert.Equal(deleted.ResourceVersion, await store.CurrentResourceVersionAsync(Timeout));
    }

    [Fact]
    public async Task Delete_WithStaleResourceVersion_FailsWithConflict()
    {
        var store = await OpenAsync();
        var created = await store.CreateAsync(Stream("ns", "a"), Obj("a", "one"), Timeout);
        await store.UpdateAsync(Stream("ns", "a"), Obj("a", "two"), null, Timeout);

        await FailsWith(StoreErrorReason.Conflict, () => store.DeleteAsync(Stream("ns", "a"), created.ResourceVersion, Timeout));

        Assert.NotNull(await store.GetAsync(Stream("ns", "a"), Timeout));
    }

    [Fact]
    public async Task Delete_WhenMissing_FailsWithNotFound()
    {
        var store = await OpenAsync();

        await FailsWith(StoreErrorReason.NotFound, () => store.DeleteAsync(Stream("ns", "a"), null, Timeout));
    }

    [Fact]
    public async Task Writes_TakeConsecutiveResourceVersionsAcrossAllObjects()
    {
        var store = await OpenAsync();
        var start = await store.CurrentResourceVersionAsync(Timeout);

        var versions = new List<long>
        {
            (await store.CreateAsync(Stream("a", "x"), Obj("x"), Timeout)).ResourceVersion,
            (await store.CreateAsync(Secret("b", "y"), Obj("y"), Timeout)).ResourceVersion,
            (await store.UpdateAsync(Stream("a", "x"), Obj("x", "2"), null, Timeout)).ResourceVersion,
            (await store.DeleteAsync(Secret("b", "y"), null, Timeout)).ResourceVersion,
            (await store.CreateAsync(Secret("b", "y"), Obj("y"), Timeout)).ResourceVersion,
        };

        Assert.Equal([start + 1, start + 2, start + 3, start + 4, start + 5], versions);
        Assert.Equal(start + 5, await store.CurrentResourceVersionAsync(Timeout));
    }

    [Fact]
    public async Task FailedWrites_DoNotTakeAResourceVersion()
    {
        var store = await OpenAsync();
        var created = await store.CreateAsync(Stream("ns", "a"), Obj("a"), Timeout);

        await FailsWith(StoreErrorReason.AlreadyExists, () => store.CreateAsync(Stream("ns", "a"), Obj("a"), Timeout));
        await FailsWith(StoreErrorReason.Conflict, () => store.UpdateAsync(Stream("ns", "a"), Obj("a"), created.ResourceVersion + 7, Timeout));
        await FailsWith(StoreErrorReason.NotFound, () => store.DeleteAsync(Stream("ns", "b"), null, Timeout));

        Assert.Equal(created.ResourceVersion, await store.CurrentResourceVersionAsync(Timeout));
        Assert.Equal(created.ResourceVersion + 1, (await store.CreateAsync(Stream("ns", "b"), Obj("b"), Timeout)).ResourceVersion);
    }

    [Fact]
    public async Task ConcurrentUpdates_WithTheSameResourceVersion_ExactlyOneWins()
    {
        var store = await OpenAsync();
        var current = await store.CreateAsync(Stream("ns", "a"), Obj("a", "start"), Timeout);

        for (var round = 0; round < 20; round++)
        {
            var expected = current.ResourceVersion;
            var attempts = new[] { "left", "right" }
                .Select(side => Task.Run(async () => await store.UpdateAsync(Stream("ns", "a"), Obj("a", $"{side} {round}"), expected, Timeout)))
                .ToArray();
            await Task.WhenAll(attempts.Select(a => a.ContinueWith(_ => { }, TaskScheduler.Default)));

            var winner = Assert.Single(attempts, a => a.IsCompletedSuccessfully);
            var loser = Assert.Single(attempts, a => a.IsFaulted);
            Assert.Equal(StoreErrorReason.Conflict, Assert.IsType<StoreException>(loser.Exception!.InnerException).Reason);
            current = await winner;
            var stored = await store.GetAsync(Stream("ns", "a"), Timeout);
            Assert.Equal(ValueOf(current), ValueOf(stored!));
            Assert.Equal(expected + 1, stored!.ResourceVersion);
        }
    }

    [Fact]
    public async Task Reopen_KeepsObjectsAndTheResourceVersionCounter()
    {
        var store = await OpenAsync();
        await store.CreateAsync(Stream("ns", "kept"), Obj("kept", "value"), Timeout);
        await store.CreateAsync(Stream("ns", "gone"), Obj("gone"), Timeout);
        // The newest write is a deletion, so the counter cannot be recovered from the objects left.
        var last = await store.DeleteAsync(Stream("ns", "gone"), null, Timeout);
        await store.DisposeAsync();

        var reopened = await OpenAsync();

        Assert.Equal(last.ResourceVersion, await reopened.CurrentResourceVersionAsync(Timeout));
        Assert.Equal("value", ValueOf((await reopened.GetAsync(Stream("ns", "kept"), Timeout))!));
        Assert.Null(await reopened.GetAsync(Stream("ns", "gone"), Timeout));
        var next = await reopened.CreateAsync(Stream("ns", "new"), Obj("new"), Timeout);
        Assert.Equal(last.ResourceVersion + 1, next.ResourceVersion);
    }

    [Fact]
    public async Task Watch_FromAListsVersion_SeesLaterWritesAndNothingEarlier()
    {
        var store = await OpenAsync();
        await store.CreateAsync(Stream("ns", "a"), Obj("a"), Timeout);
        await store.CreateAsync(Stream("ns", "b"), Obj("b"), Timeout);
        var list = await store.ListAsync(Streams, null, Timeout);
        var c = await store.CreateAsync(Stream("ns", "c"), Obj("c"), Timeout);
        var a = await store.UpdateAsync(Stream("ns", "a"), Obj("a", "2"), null, Timeout);

        await using var watch = store.WatchAsync(Streams, null, list.ResourceVersion, Timeout).GetAsyncEnumerator(Timeout);
        var replayed = await TakeAsync(watch, 2);
        var b = await store.DeleteAsync(Stream("ns", "b"), null, Timeout);
        var live = await TakeAsync(watch, 1);

        Assert.Equal(
            [(StoreEventType.Added, c.Key, c.ResourceVersion), (StoreEventType.Modified, a.Key, a.ResourceVersion), (StoreEventType.Deleted, b.Key, b.ResourceVersion)],
            replayed.Concat(live).Select(e => (e.Type, e.Object.Key, e.Object.ResourceVersion)));
        Assert.Equal("2", ValueOf(replayed[1].Object));
        Assert.All(replayed.Concat(live), e => Assert.Equal(Version(e.Object.ResourceVersion), VersionIn(e.Object.Object)));
    }

    [Fact]
    public async Task Watch_FromTheListVersionOfANewStore_SeesTheFirstWrites()
    {
        var store = await OpenAsync();
        var list = await store.ListAsync(Streams, null, Timeout);
        var created = await store.CreateAsync(Stream("ns", "a"), Obj("a"), Timeout);

        await using var watch = store.WatchAsync(Streams, null, list.ResourceVersion, Timeout).GetAsyncEnumerator(Timeout);
        var events = await TakeAsync(watch, 1);

        Assert.NotEqual(0, list.ResourceVersion);
        Assert.Equal(created.ResourceVersion, events[0].Object.ResourceVersion);
    }

    [Fact]
    public async Task Watch_DuringConcurrentWrites_SeesEveryResourceVersionOnceAndInOrder()
    {
        const int Writers = 4;
        const int WritesEach = 50;
        const int Total = Writers * WritesEach;
        // A small buffer makes the watches replay in several pages and overflow into catch-ups while the writes go on.
        var store = await OpenAsync(new StoreTestLimits(WatchBufferSize: 8));
        var start = await store.CurrentResourceVersionAsync(Timeout);
        // Watches start after 0, 50, 100 and 150 writes, so each replays a different part of the log before it goes live.
        var startWatch = Enumerable.Range(0, 4).Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
        startWatch[0].SetResult();
        var written = 0;

        var watches = startWatch.Select(signal => Task.Run(async () =>
        {
            await signal.Task.WaitAsync(Timeout);
            var seen = new List<StoreEvent>(Total);
            await foreach (var e in store.WatchAsync(null, null, start, Timeout))
            {
                seen.Add(e);
                if (seen.Count == Total)
                {
                    break;
                }
            }
            return seen;
        })).ToArray();
        var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < WritesEach; i++)
            {
                var key = Stream("ns", $"w{w}-{i % 10}");
                if (i < 10)
                {
                    await store.CreateAsync(key, Obj(key.Name), Timeout);
                }
                else
                {
                    await store.UpdateAsync(key, Obj(key.Name, i.ToString(CultureInfo.InvariantCulture)), null, Timeout);
                }
                var count = Interlocked.Increment(ref written);
                if (count % 50 == 0 && count / 50 < startWatch.Length)
                {
                    startWatch[count / 50].SetResult();
                }
            }
        })).ToArray();
        await Task.WhenAll(writers);
        var results = await Task.WhenAll(watches);

        Assert.Equal(start + Total, await store.CurrentResourceVersionAsync(Timeout));
        Assert.All(results, seen =>
        {
            Assert.Equal(Enumerable.Range(1, Total).Select(i => start + i), seen.Select(e => e.Object.ResourceVersion));
            Assert.Equal(Writers * 10, seen.Count(e => e.Type == StoreEventType.Added));
            Assert.All(seen, e => Assert.Equal(Version(e.Object.ResourceVersion), VersionIn(e.Object.Object)));
        });
    }

    [Fact]
    public async Task Watch_FromZero_SeesOnlyWritesAfterItStarted()
    {
        var store = await OpenAsync();
        var before = await store.CreateAsync(Stream("ns", "before"), Obj("before"), Timeout);

        await using var watch = store.WatchAsync(null, null, 0, Timeout).GetAsyncEnumerator(Timeout);
        var next = watch.MoveNextAsync().AsTask();
        // When a watch "from now" starts is up to the backend, so write until it reports one of these writes.
        var writtenSince = new List<long>();
        for (var i = 0; !next.IsCompleted; i++)
        {
            writtenSince.Add((await store.CreateAsync(Stream("ns", $"after-{i}"), Obj($"after-{i}"), Timeout)).ResourceVersion);
            await Task.WhenAny(next, Task.Delay(TimeSpan.FromMilliseconds(20), Timeout));
        }

        Assert.True(await next);
        Assert.NotEqual(before.Key, watch.Current.Object.Key);
        Assert.Contains(watch.Current.Object.ResourceVersion, writtenSince);
    }

    [Fact]
    public async Task Watch_FromTheVersionBeforeTheOldestKeptEvent_ReplaysFromThatEvent()
    {
        var store = await OpenAsync(new StoreTestLimits(WatchHistory: 5));
        await WriteAsync(store, "o", 12);
        var current = await store.CurrentResourceVersionAsync(Timeout);

        await using var watch = store.WatchAsync(null, null, current - 5, Timeout).GetAsyncEnumerator(Timeout);
        var events = await TakeAsync(watch, 5);

        Assert.Equal([current - 4, current - 3, current - 2, current - 1, current], events.Select(e => e.Object.ResourceVersion));
    }

    [Fact]
    public async Task Watch_FromAVersionOlderThanTheHistory_FailsWithGone()
    {
        var store = await OpenAsync(new StoreTestLimits(WatchHistory: 5));
        await WriteAsync(store, "o", 12);
        var current = await store.CurrentResourceVersionAsync(Timeout);

        await FailsWith(StoreErrorReason.Gone, async () =>
        {
            await foreach (var e in store.WatchAsync(null, null, current - 6, Timeout))
            {
                Assert.Fail($"a watch from a trimmed version delivered {e.Object.Key} at {e.Object.ResourceVersion}");
            }
        });
        await FailsWith(StoreErrorReason.Gone, async () =>
        {
            await foreach (var e in store.WatchAsync(Secrets, "elsewhere", 1, Timeout))
            {
                Assert.Fail($"a watch from a trimmed version delivered {e.Object.Key} at {e.Object.ResourceVersion}");
            }
        });
    }

    [Fact]
    public async Task Watch_ByResourceAndNamespace_SeesOnlyMatchingChanges()
    {
        var store = await OpenAsync();
        var start = await store.CurrentResourceVersionAsync(Timeout);
        await store.CreateAsync(Secret("a", "s"), Obj("s"), Timeout);
        await store.CreateAsync(Stream("b", "x"), Obj("x"), Timeout);
        var first = await store.CreateAsync(Stream("a", "x"), Obj("x"), Timeout);
        await store.CreateAsync(Secret("b", "s"), Obj("s"), Timeout);
        await store.CreateAsync(Secret("", "cluster"), Obj("cluster"), Timeout);
        var second = await store.UpdateAsync(Stream("a", "x"), Obj("x", "2"), null, Timeout);

        await using var streamsInA = store.WatchAsync(Streams, "a", start, Timeout).GetAsyncEnumerator(Timeout);
        await using var everythingInA = store.WatchAsync(null, "a", start, Timeout).GetAsyncEnumerator(Timeout);
        await using var clusterScoped = store.WatchAsync(Secrets, "", start, Timeout).GetAsyncEnumerator(Timeout);
        await using var secretsEverywhere = store.WatchAsync(Secrets, null, start, Timeout).GetAsyncEnumerator(Timeout);
        var streamsInAEvents = await TakeAsync(streamsInA, 2);
        var everythingInAEvents = await TakeAsync(everythingInA, 3);
        var clusterScopedEvents = await TakeAsync(clusterScoped, 1);
        var secretsEverywhereEvents = await TakeAsync(secretsEverywhere, 3);
        // A later matching write arrives next, so nothing unmatched was queued in between.
        var third = await store.UpdateAsync(Stream("a", "x"), Obj("x", "3"), null, Timeout);
        var streamsInALive = await TakeAsync(streamsInA, 1);

        Assert.Equal([first.ResourceVersion, second.ResourceVersion, third.ResourceVersion],
            streamsInAEvents.Concat(streamsInALive).Select(e => e.Object.ResourceVersion));
        Assert.Equal([Secret("a", "s"), Stream("a", "x"), Stream("a", "x")], everythingInAEvents.Select(e => e.Object.Key));
        Assert.Equal(Secret("", "cluster"), Assert.Single(clusterScopedEvents).Object.Key);
        Assert.Equal([Secret("a", "s"), Secret("b", "s"), Secret("", "cluster")], secretsEverywhereEvents.Select(e => e.Object.Key));
    }

    [Fact]
    public async Task Watch_AfterReopen_ReplaysTheLoggedEvents()
    {
        var store = await OpenAsync();
        var start = await store.CurrentResourceVersionAsync(Timeout);
        await store.CreateAsync(Stream("ns", "a"), Obj("a"), Timeout);
        await store.UpdateAsync(Stream("ns", "a"), Obj("a", "2"), null, Timeout);
        await store.DeleteAsync(Stream("ns", "a"), null, Timeout);
        await store.DisposeAsync();

        var reopened = await OpenAsync();
        await using var watch = reopened.WatchAsync(Streams, "ns", start, Timeout).GetAsyncEnumerator(Timeout);
        var events = await TakeAsync(watch, 3);

        Assert.Equal([StoreEventType.Added, StoreEventType.Modified, StoreEventType.Deleted], events.Select(e => e.Type));
        Assert.Equal([start + 1, start + 2, start + 3], events.Select(e => e.Object.ResourceVersion));
        Assert.Equal("2", ValueOf(events[2].Object));
    }

    [Fact]
    public async Task Watch_WhenTheConsumerIsSlow_DoesNotHoldUpWritersAndMissesNothing()
    {
        var store = await OpenAsync(new StoreTestLimits(WatchHistory: 1_000, WatchBufferSize: 4));
        var start = (await store.CreateAsync(Stream("ns", "first"), Obj("first"), Timeout)).ResourceVersion;

        await using var watch = store.WatchAsync(null, null, start, Timeout).GetAsyncEnumerator(Timeout);
        var first = watch.MoveNextAsync();
        // Far more writes than the watch buffers, while nobody reads it: they must not wait for the watch.
        await WriteAsync(store, "early", 20);
        Assert.True(await first);
        var events = new List<StoreEvent> { watch.Current };
        events.AddRange(await TakeAsync(watch, 8));
        // The watch now catches up from the log; these writes reach it both live and through the log, and must come once.
        await WriteAsync(store, "during", 3);
        events.AddRange(await TakeAsync(watch, 14));
        var last = await store.CreateAsync(Stream("ns", "last"), Obj("last"), Timeout);
        events.AddRange(await TakeAsync(watch, 1));

        Assert.Equal(Enumerable.Range(1, 24).Select(i => start + i), events.Select(e => e.Object.ResourceVersion));
        Assert.Equal(last.Key, events[^1].Object.Key);
    }

    [Fact]
    public async Task Watch_WhenTheConsumerFallsOutOfTheHistory_FailsWithGone()
    {
        var store = await OpenAsync(new StoreTestLimits(WatchHistory: 10, WatchBufferSize: 4));
        var start = (await store.CreateAsync(Stream("ns", "first"), Obj("first"), Timeout)).ResourceVersion;

        var seen = new List<long>();
        var error = await FailsWith(StoreErrorReason.Gone, async () =>
        {
            await using var watch = store.WatchAsync(null, null, start, Timeout).GetAsyncEnumerator(Timeout);
            var first = watch.MoveNextAsync();
            await WriteAsync(store, "o", 50);
            Assert.True(await first);
            seen.Add(watch.Current.Object.ResourceVersion);
            while (await watch.MoveNextAsync())
            {
                seen.Add(watch.Current.Object.ResourceVersion);
            }
        });

        // Whatever came before the failure came without a gap.
        Assert.NotEmpty(seen);
        Assert.True(seen.Count < 50, $"saw {seen.Count} events although the history keeps 10");
        Assert.Equal(Enumerable.Range(1, seen.Count).Select(i => start + i), seen);
        Assert.Equal(start + 50, await store.CurrentResourceVersionAsync(Timeout));
    }

    [Fact]
    public async Task Dispose_EndsOpenWatches()
    {
        var store = await OpenAsync();
        await using var watch = store.WatchAsync(null, null, 0, Timeout).GetAsyncEnumerator(Timeout);
        var next = watch.MoveNextAsync().AsTask();

        await store.DisposeAsync();

        Assert.False(await next.WaitAsync(Timeout));
    }

    [Fact]
    public async Task DeleteNamespaceContents_DeletesEveryResourceInThatNamespaceOnly_WithOneEventEach()
    {
        var store = await OpenAsync();
        await store.CreateAsync(Stream("doomed", "x"), Obj("x", "stream"), Timeout);
        await store.CreateAsync(Secret("doomed", "s"), Obj("s", "secret"), Timeout);
        await store.CreateAsync(Stream("kept", "x"), Obj("x"), Timeout);
        await store.CreateAsync(Secret("", "doomed"), Obj("doomed"), Timeout);
        var before = await store.CurrentResourceVersionAsync(Timeout);

        var deleted = await store.DeleteNamespaceContentsAsync("doomed", Timeout);

        Assert.Equal(2, deleted);
        Assert.Null(await store.GetAsync(Stream("doomed", "x"), Timeout));
        Assert.Null(await store.GetAsync(Secret("doomed", "s"), Timeout));
        Assert.NotNull(await store.GetAsync(Stream("kept", "x"), Timeout));
        Assert.NotNull(await store.GetAsync(Secret("", "doomed"), Timeout));
        Assert.Equal(before + 2, await store.CurrentResourceVersionAsync(Timeout));

        await using var watch = store.WatchAsync(null, null, before, Timeout).GetAsyncEnumerator(Timeout);
        var events = await TakeAsync(watch, 2);
        Assert.All(events, e => Assert.Equal(StoreEventType.Deleted, e.Type));
        Assert.Equal([before + 1, before + 2], events.Select(e => e.Object.ResourceVersion));
        Assert.Equal(
            new HashSet<ObjectKey> { Stream("doomed", "x"), Secret("doomed", "s") },
            events.Select(e => e.Object.Key).ToHashSet());
        Assert.All(events, e => Assert.Equal(Version(e.Object.ResourceVersion), VersionIn(e.Object.Object)));
        Assert.Equal(["secret", "stream"], events.Select(e => ValueOf(e.Object)).Order());
    }

    [Fact]
    public async Task DeleteNamespaceContents_OfAnEmptyNamespace_WritesNothing()
    {
        var store = await OpenAsync();
        await store.CreateAsync(Stream("kept", "x"), Obj("x"), Timeout);
        var before = await store.CurrentResourceVersionAsync(Timeout);

        Assert.Equal(0, await store.DeleteNamespaceContentsAsync("empty", Timeout));

        Assert.Equal(before, await store.CurrentResourceVersionAsync(Timeout));
        Assert.Single((await store.ListAsync(Streams, null, Timeout)).Items);
    }

    /// <summary>Opens the store of this test's directory; it is disposed when the test ends.</summary>
    protected async Task<IObjectStore> OpenAsync(StoreTestLimits? limits = null)
    {
        var store = await OpenStoreAsync(DataDirectory, limits ?? StoreTestLimits.Default);
        _opened.Add(store);
        return store;
    }

    /// <summary>Creates <paramref name="count"/> streams named after <paramref name="prefix"/>, one write each.</summary>
    protected async Task WriteAsync(IObjectStore store, string prefix, int count)
    {
        for (var i = 0; i < count; i++)
        {
            await store.CreateAsync(Stream("ns", $"{prefix}-{i}"), Obj($"{prefix}-{i}"), Timeout);
        }
    }

    protected static ObjectKey Stream(string ns, string name) => new(Streams, ns, name);

    protected static ObjectKey Secret(string ns, string name) => new(Secrets, ns, name);

    protected static JsonObject Obj(string name, string value = "v") => new()
    {
        ["metadata"] = new JsonObject { ["name"] = name },
        ["spec"] = new JsonObject { ["value"] = value },
    };

    protected static string ValueOf(StoredObject stored) => stored.Object["spec"]!["value"]!.GetValue<string>();

    protected static string VersionIn(JsonObject obj) => obj["metadata"]!["resourceVersion"]!.GetValue<string>();

    protected static string Version(long resourceVersion) => resourceVersion.ToString(CultureInfo.InvariantCulture);

    protected static async Task<StoreException> FailsWith(StoreErrorReason reason, Func<Task> action)
    {
        var error = await Assert.ThrowsAsync<StoreException>(action);
        Assert.Equal(reason, error.Reason);
        return error;
    }

    protected static Task<StoreException> FailsWith<T>(StoreErrorReason reason, Func<ValueTask<T>> action) =>
        FailsWith(reason, () => action().AsTask());

    protected static async Task<List<StoreEvent>> TakeAsync(IAsyncEnumerator<StoreEvent> watch, int count)
    {
        var events = new List<StoreEvent>(count);
        while (events.Count < count)
        {
            Assert.True(await watch.MoveNextAsync(), $"the watch ended after {events.Count} of {count} events");
            events.Add(watch.Current);
        }
        return events;
    }
}
