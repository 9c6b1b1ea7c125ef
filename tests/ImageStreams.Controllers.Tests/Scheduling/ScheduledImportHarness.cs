using ImageStreams.Controllers.Import;
using ImageStreams.Controllers.Metrics;
using ImageStreams.Controllers.Scheduling;
using ImageStreams.Model.Image;
using ImageStreams.Model.Meta;
using ImageStreams.Registry.Client;
using ImageStreams.Registry.Inspection;
using ImageStreams.Resources;
using ImageStreams.Store.Sqlite;
using ImageStreams.Testing.Processes;
using ImageStreams.Testing.Registry;
using ImageStreams.Testing.Time;
using Microsoft.Extensions.Logging.Abstractions;

namespace ImageStreams.Controllers.Tests.Scheduling;

/// <summary>
/// The scheduled import as the server runs it (store, resources, registry client, importer, schedule, controller) on a
/// hand-driven clock. <see cref="RestartAsync"/> stops the controller and starts a new one, with a new schedule and
/// registry client, over the same store: a server restart.
/// </summary>
internal sealed class ScheduledImportHarness : IAsyncDisposable
{
    public const string Namespace = "default";

    private readonly TempDirectory directory;
    private RegistryClient client = null!;
    private ScheduledImportMetrics metrics = null!;
    private ScheduledImportController controller = null!;

    private ScheduledImportHarness(TempDirectory directory, SqliteObjectStore store, ScheduledImportOptions options)
    {
        this.directory = directory;
        Store = store;
        Options = options;
        Resources = new ResourceSet(store, new FixedRegistryHost("127.0.0.1:1"), Clock);
    }

    public ManualTimeProvider Clock { get; } = new();

    public ScheduledImportOptions Options { get; }

    public ResourceSet Resources { get; }

    public SqliteObjectStore Store { get; }

    public ImportSchedule Schedule { get; private set; } = null!;

    public ImageStreamImporter Importer { get; private set; } = null!;

    public static async Task<ScheduledImportHarness> StartAsync(ScheduledImportOptions options)
    {
        var directory = new TempDirectory("scheduled-import");
        var store = await SqliteObjectStore.OpenAsync(directory.Combine("store.db"), new SqliteStoreOptions());
        var harness = new ScheduledImportHarness(directory, store, options);
        await harness.Resources.InitializeAsync();
        harness.Build();
        return harness;
    }

    /// <summary>Starts the controller; returns once it has listed the streams.</summary>
    public async Task RunAsync()
    {
        await controller.StartAsync(CancellationToken.None);
        await controller.Synced.WaitAsync(TimeSpan.FromSeconds(20));
    }

    public async Task RestartAsync()
    {
        await StopAsync();
        Build();
        await RunAsync();
    }

    /// <summary>Imports <paramref name="from"/> into tag <paramref name="tag"/> of stream <paramref name="name"/> with a scheduled policy, as <c>isctl import-image --scheduled</c>.</summary>
    public Task<ImageStreamImport> ImportAsync(string name, string tag, string from, string? importMode = null) =>
        ImportAsync(name, [(tag, from)], importMode);

    public async Task<ImageStreamImport> ImportAsync(string name, IReadOnlyList<(string Tag, string From)> tags, string? importMode = null)
    {
        var request = new ImageStreamImport
        {
            Metadata = new ObjectMeta { Name = name, Namespace = Namespace },
            Spec = new ImageStreamImportSpec
            {
                Import = true,
                Images = tags.Select(t => new ImageImportSpec
                {
                    From = new ObjectReference { Kind = SourceKinds.DockerImage, Name = t.From },
                    To = new LocalObjectReference { Name = t.Tag },
                    ImportPolicy = new TagImportPolicy { Scheduled = true, ImportMode = importMode },
                }).ToList(),
            },
        };
        return await Importer.ImportAsync(Namespace, request);
    }

    public Task<ImageStream> StreamAsync(string name) => Resources.ImageStreams.GetAsync(Namespace, name).AsTask();

    public TagSchedule TagSchedule(string name, string tag) => Schedule.Get(Namespace, name).Tags.Single(t => t.Tag == tag);

    /// <summary>Waits until the schedule holds <paramref name="count"/> tags of the stream.</summary>
    public Task WaitForScheduledAsync(string name, int count) =>
        Eventually(() => Schedule.Get(Namespace, name).Tags.Count == count, $"{count} scheduled tag(s) in {name}");

    /// <summary>Moves the clock in steps, letting every check that falls due finish before the next step.</summary>
    public async Task AdvanceAsync(TimeSpan by, TimeSpan step, Action? afterStep = null)
    {
        var end = Clock.GetUtcNow() + by;
        while (Clock.GetUtcNow() < end)
        {
            var left = end - Clock.GetUtcNow();
            Clock.Advance(left < step ? left : step);
            await QuietAsync();
            afterStep?.Invoke();
        }
    }

    public Task AdvanceToAsync(DateTimeOffset time, TimeSpan step, Action? afterStep = null) => AdvanceAsync(time - Clock.GetUtcNow(), step, afterStep);

    public Task QuietAsync() => Eventually(() => Schedule.IsQuiet, "the schedule to settle");

    public static async Task Eventually(Func<bool> condition, string what)
    {
        var limit = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!condition())
        {
            if (DateTime.UtcNow > limit)
            {
                throw new TimeoutException($"timed out waiting for {what}");
            }
            await Task.Delay(2);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await Store.DisposeAsync();
        directory.Dispose();
    }

    private void Build()
    {
        // Retries on, as the server's client has them (without waits, on the hand-driven clock): a check must ask for none.
        client = new RegistryClient(new RegistryClientOptions { MaxRetries = 3, InitialBackoff = TimeSpan.Zero, MaxBackoff = TimeSpan.Zero, UserAgent = "imagestreams-tests/1.0" }, Clock);
        var inspector = new ImageInspector(client);
        metrics = new ScheduledImportMetrics();
        Schedule = new ImportSchedule(Options, Clock, metrics);
        Importer = new ImageStreamImporter(Resources, inspector, new ImportOptions(), Clock, [Schedule]);
        controller = new ScheduledImportController(Resources, Store, Importer, inspector, Schedule, Options, metrics, Clock,
            NullLogger<ScheduledImportController>.Instance);
    }

    private async Task StopAsync()
    {
        await controller.StopAsync(CancellationToken.None);
        controller.Dispose();
        metrics.Dispose();
        client.Dispose();
    }
}

/// <summary>A docker-registry peer with an image builder, and a counting proxy in front of it.</summary>
internal sealed class UpstreamRegistry : IAsyncDisposable
{
    private UpstreamRegistry(DockerRegistryPeer registry, Testing.Http.ScriptedHttpServer proxy)
    {
        Registry = registry;
        Proxy = proxy;
    }

    public DockerRegistryPeer Registry { get; }

    /// <summary>Forwards to <see cref="Registry"/> unless scripted; records every request.</summary>
    public Testing.Http.ScriptedHttpServer Proxy { get; }

    public TestImages Images { get; } = new();

    public static async Task<UpstreamRegistry> StartAsync()
    {
        var registry = await DockerRegistryPeer.StartAsync();
        return new UpstreamRegistry(registry, await Testing.Http.ScriptedHttpServer.StartAsync(registry.BaseUri));
    }

    /// <summary>The reference of <paramref name="repositoryAndTag"/> through the proxy.</summary>
    public string ViaProxy(string repositoryAndTag) => $"{Proxy.Authority}/{repositoryAndTag}";

    /// <summary>Builds an image labelled <paramref name="version"/> and pushes it to <paramref name="repositoryAndTag"/>; returns its digest.</summary>
    public async Task<string> PushAsync(string repositoryAndTag, string version)
    {
        var digest = await BuildAsync(version);
        await Images.PushAsync(version, $"{Registry.Host}/{repositoryAndTag}");
        return digest;
    }

    /// <summary>Builds (without pushing) an image labelled <paramref name="version"/>, layout tag <paramref name="version"/>; returns its digest.</summary>
    public Task<string> BuildAsync(string version, string architecture = "amd64") =>
        Images.BuildAsync(version, new TestImageSpec
        {
            Architecture = architecture,
            Labels = new Dictionary<string, string> { ["version"] = version },
        });

    /// <summary>Pushes an amd64 + arm64 index whose children are layout tags <paramref name="amd64"/> and <paramref name="arm64"/>; returns its digest.</summary>
    public async Task<string> PushIndexAsync(string repositoryAndTag, string amd64, string arm64)
    {
        var digest = await Images.BuildIndexAsync("index", new TestIndexChild(amd64, "linux", "amd64"), new TestIndexChild(arm64, "linux", "arm64", "v8"));
        await Images.PushAsync("index", $"{Registry.Host}/{repositoryAndTag}", all: true);
        return digest;
    }

    /// <summary>Manifest HEADs and GETs the proxy forwarded or answered.</summary>
    public IReadOnlyList<Testing.Http.RecordedRequest> ManifestRequests() =>
        Proxy.Requests.Where(r => r.Path.Contains("/manifests/", StringComparison.Ordinal)).ToList();

    public async ValueTask DisposeAsync()
    {
        await Proxy.DisposeAsync();
        Images.Dispose();
        await Registry.DisposeAsync();
    }
}
