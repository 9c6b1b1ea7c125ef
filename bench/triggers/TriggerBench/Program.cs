using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ImageStreams.Controllers.Triggers;
using ImageStreams.Model.Build;
using ImageStreams.Model.Core;
using ImageStreams.Model.Image;
using ImageStreams.Model.Meta;
using ImageStreams.Resources;
using ImageStreams.Store.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

// Time from one image change (a new history item on base:latest) to a build created for each of N BuildConfigs that
// watch it, through the SQLite store and the trigger controller as the server runs them. Prints one line per round
// and the median.
var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 200;
var rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;
const string ns = "bench";
var created = 0;
ResourceSet resources = null!;
var directory = Directory.CreateTempSubdirectory("trigger-bench-");
try
{
    await using var store = await SqliteObjectStore.OpenAsync(Path.Combine(directory.FullName, "store.db"), new SqliteStoreOptions());
    resources = new ResourceSet(store, new FixedRegistryHost("127.0.0.1:8080"), TimeProvider.System);
    await resources.InitializeAsync();
    await resources.Namespaces.CreateAsync(null, new Namespace { Metadata = new ObjectMeta { Name = ns } });
    await resources.ImageStreams.CreateAsync(ns, new ImageStream { Metadata = new ObjectMeta { Name = "base" } });
    await MoveAsync("v0");
    for (var i = 0; i < count; i++)
    {
        var name = $"app-{i.ToString(CultureInfo.InvariantCulture)}";
        await resources.BuildConfigs.CreateAsync(ns, new BuildConfig
        {
            Metadata = new ObjectMeta { Name = name },
            Spec = new BuildConfigSpec
            {
                Source = new BuildSource { Dockerfile = "FROM base\nCOPY . /app\n" },
                Strategy = new BuildStrategy { DockerStrategy = new DockerBuildStrategy { From = new ObjectReference { Kind = SourceKinds.ImageStreamTag, Name = "base:latest" } } },
                Output = new BuildOutput { To = new ObjectReference { Kind = SourceKinds.ImageStreamTag, Name = $"{name}:latest" } },
                Triggers = [new BuildTriggerPolicy { Type = BuildTriggerTypes.ImageChange, ImageChange = new ImageChangeTrigger() }],
            },
        });
    }
    // Builds are counted from a watch, as any client would see them appear.
    using var stopWatching = new CancellationTokenSource();
    var watching = Task.Run(async () =>
    {
        try
        {
            await foreach (var e in resources.Builds.WatchAsync(ns, new WatchOptions(), stopWatching.Token))
            {
                if (e.Type == WatchEvent<Build>.Added)
                {
                    Interlocked.Increment(ref created);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    });
    using var controller = new BuildTriggerController(resources, new FixedRegistryHost("127.0.0.1:8080"), new TriggerOptions(), TimeProvider.System,
        NullLogger<BuildTriggerController>.Instance);
    await controller.StartAsync(CancellationToken.None);
    await WaitForBuildsAsync(count);

    var times = new List<double>();
    for (var round = 1; round <= rounds; round++)
    {
        var stopwatch = Stopwatch.StartNew();
        await MoveAsync($"v{round.ToString(CultureInfo.InvariantCulture)}");
        await WaitForBuildsAsync(count * (round + 1));
        stopwatch.Stop();
        times.Add(stopwatch.Elapsed.TotalMilliseconds);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"round {round}: {count} builds created in {stopwatch.Elapsed.TotalMilliseconds:F0} ms"));
    }
    await controller.StopAsync(CancellationToken.None);
    await stopWatching.CancelAsync();
    await watching;
    times.Sort();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"median: one image change to {count} builds created: {times[times.Count / 2]:F0} ms (target under 1000 ms)"));
}
finally
{
    directory.Delete(recursive: true);
}

async Task MoveAsync(string seed)
{
    var digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(seed)));
    await resources.ImageStreams.GuaranteedUpdateAsync(ns, "base", s => TagHistory.AddTagEvent(s, "latest", new TagEvent
    {
        Created = DateTimeOffset.UtcNow,
        DockerImageReference = $"127.0.0.1:8080/{ns}/base@{digest}",
        Image = digest,
        Generation = s.Metadata.Generation,
    }), WriteScope.Status);
}

async Task WaitForBuildsAsync(int total)
{
    var deadline = Stopwatch.StartNew();
    while (Volatile.Read(ref created) < total)
    {
        if (deadline.Elapsed > TimeSpan.FromMinutes(2))
        {
            throw new TimeoutException($"fewer than {total} builds after 2 minutes");
        }
        await Task.Delay(1);
    }
}
