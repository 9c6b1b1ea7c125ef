using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using ImageStreams.Controllers;
using ImageStreams.Controllers.Import;
using ImageStreams.Controllers.Scheduling;
using ImageStreams.Model.Image;
using ImageStreams.Model.Meta;
using ImageStreams.Registry.Client;
using ImageStreams.Registry.Manifests;
using ImageStreams.Resources;
using ImageStreams.Server;
using ImageStreams.Server.Api;
using ImageStreams.Server.Metrics;
using ImageStreams.Server.Scheduling;
using ImageStreams.Store;
using ImageStreams.Store.Sqlite;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

// setup: tags an image pushed as <registry>/bench/app:base as t0..t99, and writes <tags> streams with one scheduled tag
//        each (already imported) into a new store.
// serve: runs the server's API, controllers and /metrics over that store until SIGINT/SIGTERM.
var options = Arguments.Parse(args.Skip(1));
return args.FirstOrDefault() switch
{
    "setup" => await Bench.SetupAsync(options["registry"], options["store"], int.Parse(options["tags"], CultureInfo.InvariantCulture)),
    "serve" => await Bench.ServeAsync(options["store"], options["listen"], new ScheduledImportOptions
    {
        Interval = Durations.Parse(options["interval"]),
        MaxChecksPerMinute = int.Parse(options["max-per-minute"], CultureInfo.InvariantCulture),
        MaxConcurrentChecks = int.Parse(options["concurrency"], CultureInfo.InvariantCulture),
        MaxConcurrentChecksPerRegistry = int.Parse(options["registry-concurrency"], CultureInfo.InvariantCulture),
        MaxChecksPerSecondPerRegistry = double.Parse(options["registry-rate"], CultureInfo.InvariantCulture),
    }),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: ScheduledImportBench setup --registry HOST:PORT --store FILE --tags N");
    Console.Error.WriteLine("       ScheduledImportBench serve --store FILE --listen HOST:PORT --interval 1s --max-per-minute N --concurrency N --registry-concurrency N --registry-rate N");
    return 2;
}

internal static class Bench
{
    private const int UpstreamTags = 100;

    public static async Task<int> SetupAsync(string registry, string storePath, int tags)
    {
        var digest = await TagUpstreamAsync(registry);
        // A store filled for a run: syncing every one of 100,000 commits to disk would only make the set-up slow.
        await using var store = await SqliteObjectStore.OpenAsync(storePath, new SqliteStoreOptions { Synchronous = SqliteSynchronousMode.Normal });
        var resources = new ResourceSet(store, new FixedRegistryHost("127.0.0.1:1"), TimeProvider.System);
        await resources.InitializeAsync();
        var now = DateTimeOffset.UtcNow;
        for (var i = 0; i < tags; i++)
        {
            var stream = new ImageStream
            {
                Metadata = new ObjectMeta { Name = $"s{i}", Namespace = ResourceSet.DefaultNamespace },
                Spec = new ImageStreamSpec
                {
                    Tags =
                    [
                        new TagReference
                        {
                            Name = "latest",
                            From = new ObjectReference { Kind = SourceKinds.DockerImage, Name = $"{registry}/bench/app:t{i % UpstreamTags}" },
                            ImportPolicy = new TagImportPolicy { Scheduled = true },
                        },
                    ],
                },
                Status = new ImageStreamStatus
                {
                    Tags =
                    [
                        new NamedTagEventList
                        {
                            Tag = "latest",
                            Items = [new TagEvent { Created = now, DockerImageReference = $"{registry}/bench/app@{digest}", Image = digest, Generation = 1 }],
                        },
                    ],
                },
            };
            await resources.ImageStreams.CreateAsync(ResourceSet.DefaultNamespace, stream, new WriteOptions(WriteScope.All));
        }
        Console.WriteLine($"setup: {tags} streams with a scheduled tag over {UpstreamTags} upstream tags of {registry}/bench/app ({digest})");
        return 0;
    }

    public static async Task<int> ServeAsync(string storePath, string listen, ScheduledImportOptions scheduled)
    {
        await using var store = await SqliteObjectStore.OpenAsync(storePath, new SqliteStoreOptions());
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(console => console.SingleLine = true);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var endpoint = IPEndPoint.Parse(listen);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(endpoint));
        builder.Services.AddSingleton(new ServerOptions());
        builder.Services.AddSingleton<IObjectStore>(store);
        builder.Services.AddSingleton<IRegistryHost>(new FixedRegistryHost(listen));
        builder.Services.AddImageStreamsResources();
        builder.Services.AddImageStreamsApi();
        builder.Services.AddImageStreamsControllers(new ImportOptions(), new RegistryClientOptions(), scheduledImportOptions: scheduled);
        var app = builder.Build();
        app.UseImageStreamsApi();
        app.MapImageStreamsMetrics();
        app.MapImageStreamSchedules();
        // What stays once start-up garbage is gone: a full, compacting collection that gives free memory back to the system.
        app.MapGet("/bench/gc", () =>
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            using var process = System.Diagnostics.Process.GetCurrentProcess();
            return $"managed_bytes {GC.GetTotalMemory(forceFullCollection: false)}\nresident_bytes {process.WorkingSet64}\n";
        });
        await app.Services.GetRequiredService<ResourceSet>().InitializeAsync();
        await app.RunAsync();
        return 0;
    }

    /// <summary>Puts the manifest of bench/app:base under tags t0..t99 (its blobs are in the repository already); returns its digest.</summary>
    private static async Task<string> TagUpstreamAsync(string registry)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://{registry}/v2/bench/app/manifests/") };
        using var get = new HttpRequestMessage(HttpMethod.Get, "base");
        get.Headers.Accept.ParseAdd(MediaTypes.OciManifest);
        get.Headers.Accept.ParseAdd(MediaTypes.DockerManifest);
        using var manifest = await http.SendAsync(get);
        manifest.EnsureSuccessStatusCode();
        var body = await manifest.Content.ReadAsByteArrayAsync();
        var mediaType = manifest.Content.Headers.ContentType!.MediaType!;
        for (var i = 0; i < UpstreamTags; i++)
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
            using var put = await http.PutAsync($"t{i}", content);
            put.EnsureSuccessStatusCode();
        }
        return manifest.Headers.GetValues("Docker-Content-Digest").Single();
    }
}

internal static class Arguments
{
    /// <summary><c>--name value</c> pairs.</summary>
    public static IReadOnlyDictionary<string, string> Parse(IEnumerable<string> args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        string? name = null;
        foreach (var arg in args)
        {
            if (name is null)
            {
                name = arg.StartsWith("--", StringComparison.Ordinal) ? arg[2..] : throw new ArgumentException($"expected --name, got \"{arg}\"");
            }
            else
            {
                values[name] = arg;
                name = null;
            }
        }
        return values;
    }
}
