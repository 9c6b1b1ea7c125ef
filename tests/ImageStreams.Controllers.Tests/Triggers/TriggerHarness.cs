using ImageStreams.Controllers.Triggers;
using ImageStreams.Model.Build;
using ImageStreams.Model.Core;
using ImageStreams.Model.Image;
using ImageStreams.Model.Meta;
using ImageStreams.Resources;
using ImageStreams.Store.Sqlite;
using ImageStreams.Testing.Processes;
using Microsoft.Extensions.Logging.Abstractions;
using BuildModel = ImageStreams.Model.Build.Build;

namespace ImageStreams.Controllers.Tests.Triggers;

/// <summary>
/// A SQLite store, the resources over it and the trigger controller; <see cref="RestartAsync"/> stops the controller and
/// starts a fresh one over the same store (a server restart). Tags are moved the way a push or an import moves them: a
/// new history item written to the stream's status.
/// </summary>
internal sealed class TriggerHarness : IAsyncDisposable
{
    public const string Namespace = "seed";
    public const string RegistryHost = "127.0.0.1:8080";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly TempDirectory directory = new("triggers");
    private readonly List<BuildTriggerController> controllers = [];
    private SqliteObjectStore store = null!;

    public ResourceSet Resources { get; private set; } = null!;

    public static async Task<TriggerHarness> StartAsync(bool startController = true)
    {
        var harness = new TriggerHarness();
        harness.store = await SqliteObjectStore.OpenAsync(harness.directory.Combine("store.db"), new SqliteStoreOptions());
        harness.Resources = new ResourceSet(harness.store, new FixedRegistryHost(RegistryHost), TimeProvider.System);
        await harness.Resources.InitializeAsync();
        await harness.Resources.Namespaces.CreateAsync(null, new Namespace { Metadata = new ObjectMeta { Name = Namespace } });
        if (startController)
        {
            await harness.StartControllerAsync();
        }
        return harness;
    }

    public async Task<BuildTriggerController> StartControllerAsync()
    {
        var controller = new BuildTriggerController(Resources, new FixedRegistryHost(RegistryHost), new TriggerOptions(), TimeProvider.System,
            NullLogger<BuildTriggerController>.Instance);
        controllers.Add(controller);
        await controller.StartAsync(CancellationToken.None);
        await controller.Synced.WaitAsync(Patience);
        return controller;
    }

    public async Task StopControllersAsync()
    {
        foreach (var controller in controllers)
        {
            await controller.StopAsync(CancellationToken.None);
            controller.Dispose();
        }
        controllers.Clear();
    }

    public async Task RestartAsync()
    {
        await StopControllersAsync();
        await StartControllerAsync();
    }

    /// <summary>Puts a new image on <c>stream:tag</c> (creating the stream) and returns the pull spec triggers see.</summary>
    public async Task<string> MoveTagAsync(string stream, string tag, string imageSeed)
    {
        var digest = "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(imageSeed)));
        if (await Resources.ImageStreams.FindAsync(Namespace, stream) is null)
        {
            await Resources.ImageStreams.CreateAsync(Namespace, new ImageStream { Metadata = new ObjectMeta { Name = stream } });
        }
        var reference = $"{RegistryHost}/{Namespace}/{stream}@{digest}";
        await Resources.ImageStreams.GuaranteedUpdateAsync(Namespace, stream, s => TagHistory.AddTagEvent(s, tag, new TagEvent
        {
            Created = DateTimeOffset.UtcNow,
            DockerImageReference = reference,
            Image = digest,
            Generation = s.Metadata.Generation,
        }), WriteScope.Status);
        return reference;
    }

    /// <summary>Writes a stream without changing any tag (an annotation), as many unrelated events do.</summary>
    public Task TouchStreamAsync(string stream, string value) =>
        Resources.ImageStreams.GuaranteedUpdateAsync(Namespace, stream,
            s => s with { Metadata = s.Metadata.WithAnnotation("test/touch", value) }, WriteScope.Status).AsTask();

    public static BuildConfig Config(string name, string? from, string? to, bool configChange = false, bool paused = false, string? runPolicy = null) => new()
    {
        Metadata = new ObjectMeta { Name = name, Namespace = Namespace },
        Spec = new BuildConfigSpec
        {
            RunPolicy = runPolicy,
            Source = new BuildSource { Dockerfile = $"FROM {from ?? "scratch"}\nLABEL app={name}\n" },
            Strategy = new BuildStrategy
            {
                DockerStrategy = new DockerBuildStrategy
                {
                    From = from is null ? null : new ObjectReference { Kind = SourceKinds.ImageStreamTag, Name = from },
                },
            },
            Output = new BuildOutput { To = to is null ? null : new ObjectReference { Kind = SourceKinds.ImageStreamTag, Name = to } },
            Triggers =
            [
                .. from is null ? Array.Empty<BuildTriggerPolicy>() : [new BuildTriggerPolicy { Type = BuildTriggerTypes.ImageChange, ImageChange = new ImageChangeTrigger { Paused = paused } }],
                .. configChange ? [new BuildTriggerPolicy { Type = BuildTriggerTypes.ConfigChange }] : Array.Empty<BuildTriggerPolicy>(),
            ],
        },
    };

    public Task<BuildConfig> CreateAsync(BuildConfig config) => Resources.BuildConfigs.CreateAsync(Namespace, config).AsTask();

    public async Task<IReadOnlyList<BuildModel>> BuildsOfAsync(string config) =>
        (await Resources.Builds.ListAsync(Namespace)).Items.Where(b => b.ConfigName == config).OrderBy(b => b.Number).ToList();

    /// <summary>Waits until <paramref name="config"/> has <paramref name="count"/> builds, then a little longer to see that no more come.</summary>
    public async Task<IReadOnlyList<BuildModel>> WaitForBuildsAsync(string config, int count, TimeSpan? settle = null)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var builds = await BuildsOfAsync(config);
            if (builds.Count >= count)
            {
                await Task.Delay(settle ?? TimeSpan.FromMilliseconds(700));
                return await BuildsOfAsync(config);
            }
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"timed out waiting for {count} build(s) of {config}; there are {builds.Count}");
            }
            await Task.Delay(25);
        }
    }

    /// <summary>What a finished build does to its output tag: a new image there (the push and its ImageStreamMapping).</summary>
    public Task<string> CompleteAsync(BuildModel build)
    {
        var to = build.Spec.Output.To!.Name!.Split(':');
        return MoveTagAsync(to[0], to[1], $"{build.Metadata.Name}:{string.Join(',', build.Spec.TriggeredBy?.Select(c => c.ImageChangeBuild?.ImageId) ?? [])}");
    }

    public async ValueTask DisposeAsync()
    {
        await StopControllersAsync();
        await store.DisposeAsync();
        directory.Dispose();
    }
}
