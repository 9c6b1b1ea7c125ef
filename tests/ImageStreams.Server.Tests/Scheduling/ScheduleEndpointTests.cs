using ImageStreams.Model.Image;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ImageStreams.Controllers;
using ImageStreams.Controllers.Import;
using ImageStreams.Controllers.Scheduling;
using ImageStreams.Registry.Client;
using ImageStreams.Resources;
using ImageStreams.Server.Api;
using ImageStreams.Server.Metrics;
using ImageStreams.Server.Scheduling;
using ImageStreams.Store;
using ImageStreams.Store.Sqlite;
using ImageStreams.Testing.Processes;
using ImageStreams.Testing.Registry;
using ImageStreams.Testing.Time;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ImageStreams.Server.Tests.Scheduling;

/// <summary>The schedule subresource and <c>/metrics</c> on real Kestrel, with the controllers as the server composes them and a hand-driven clock.</summary>
public sealed class ScheduleEndpointTests
{
    private const string Streams = "/apis/image.openshift.io/v1/namespaces/default/imagestreams";

    [Fact]
    public async Task TheScheduleSubresource_ShowsWhenATagWasCheckedAndIsNext_AndMetricsCountTheCheck()
    {
        await using var registry = await DockerRegistryPeer.StartAsync();
        using var images = new TestImages();
        await images.BuildAsync("v1");
        await images.PushAsync("v1", $"{registry.Host}/team/app:latest");
        var clock = new ManualTimeProvider();
        await using var host = await Host.StartAsync(clock, new ScheduledImportOptions { Interval = TimeSpan.FromMinutes(10) });

        var import = await host.Client.PostAsJsonAsync("/apis/image.openshift.io/v1/namespaces/default/imagestreamimports", JsonNode.Parse($$$"""
            {"kind":"ImageStreamImport","apiVersion":"image.openshift.io/v1","metadata":{"name":"app"},
             "spec":{"import":true,"images":[{"from":{"kind":"DockerImage","name":"{{{registry.Host}}}/team/app:latest"},
                                             "to":{"name":"latest"},"importPolicy":{"scheduled":true}}]}}
            """));
        Assert.Equal(HttpStatusCode.Created, import.StatusCode);
        var pending = await EventuallyAsync(host, t => t["nextCheck"] is not null);
        Assert.Equal("Scheduled", pending["state"]!.GetValue<string>());
        Assert.Null(pending["lastChecked"]);

        clock.Advance(DateTimeOffset.Parse(pending["nextCheck"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture) - clock.GetUtcNow() + TimeSpan.FromSeconds(1));
        var checkedTag = await EventuallyAsync(host, t => t["lastResult"]?.GetValue<string>() == "Unchanged");

        var document = (await host.Client.GetFromJsonAsync<JsonObject>($"{Streams}/app/schedule"))!;
        Assert.Equal(("ImageStreamSchedule", "image.openshift.io/v1", true, "10m"),
            (document["kind"]!.GetValue<string>(), document["apiVersion"]!.GetValue<string>(), document["enabled"]!.GetValue<bool>(), document["interval"]!.GetValue<string>()));
        Assert.Equal(("latest", $"{registry.Host}/team/app:latest", 0), (checkedTag["tag"]!.GetValue<string>(), checkedTag["from"]!.GetValue<string>(), checkedTag["consecutiveFailures"]!.GetValue<int>()));
        Assert.NotNull(checkedTag["lastChecked"]);
        Assert.Null(checkedTag["nextRetry"]);

        var metrics = await host.Client.GetAsync(MetricsEndpoints.Path);
        Assert.Equal(PrometheusExporter.ContentType, metrics.Content.Headers.ContentType!.ToString());
        var text = await metrics.Content.ReadAsStringAsync();
        Assert.Contains("imagestreams_scheduled_import_checks_total{result=\"Unchanged\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains($"imagestreams_registry_requests_total{{code=\"200\",method=\"HEAD\",registry=\"{registry.Host}\"}} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("imagestreams_scheduled_import_queue_length 0\n", text, StringComparison.Ordinal);
        Assert.Contains("imagestreams_scheduled_import_oldest_due_lag_seconds 0\n", text, StringComparison.Ordinal);
        Assert.Contains("imagestreams_scheduled_import_tags 1\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheScheduleOfAMissingStream_IsNotFound()
    {
        await using var host = await Host.StartAsync(new ManualTimeProvider(), new ScheduledImportOptions());

        var response = await host.Client.GetAsync($"{Streams}/missing/schedule");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var status = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(("Status", "NotFound"), (status["kind"]!.GetValue<string>(), status["reason"]!.GetValue<string>()));
    }

    private static async Task<JsonObject> EventuallyAsync(Host host, Func<JsonObject, bool> condition)
    {
        var limit = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            var tags = (await host.Client.GetFromJsonAsync<JsonObject>($"{Streams}/app/schedule"))!["tags"]!.AsArray();
            if (tags.Count == 1 && condition(tags[0]!.AsObject()))
            {
                return tags[0]!.AsObject();
            }
            Assert.True(DateTime.UtcNow < limit, $"the schedule never got there: {tags.ToJsonString()}");
            await Task.Delay(20);
        }
    }

    /// <summary>The API, the controllers and the two endpoints, composed as the server composes them.</summary>
    private sealed class Host : IAsyncDisposable
    {
        private readonly WebApplication app;
        private readonly IObjectStore store;
        private readonly TempDirectory data;

        private Host(WebApplication app, IObjectStore store, TempDirectory data, Uri address)
        {
            this.app = app;
            this.store = store;
            this.data = data;
            Client = new HttpClient { BaseAddress = address };
        }

        public HttpClient Client { get; }

        public static async Task<Host> StartAsync(TimeProvider clock, ScheduledImportOptions options)
        {
            var data = new TempDirectory("schedule-endpoint");
            var store = await SqliteObjectStore.OpenAsync(data.Combine("store.db"), new SqliteStoreOptions());
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
            builder.Services.AddSingleton(clock);
            builder.Services.AddSingleton(new ServerOptions());
            builder.Services.AddSingleton<IObjectStore>(store);
            builder.Services.AddSingleton<IRegistryHost>(new FixedRegistryHost("127.0.0.1:1"));
            builder.Services.AddImageStreamsResources();
            builder.Services.AddImageStreamsApi();
            builder.Services.AddImageStreamsControllers(new ImportOptions(), new RegistryClientOptions(), scheduledImportOptions: options);
            var app = builder.Build();
            app.UseImageStreamsApi();
            app.MapImageStreamsMetrics();
            app.MapImageStreamSchedules();
            await app.Services.GetRequiredService<ResourceSet>().InitializeAsync();
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new Host(app, store, data, new Uri(address));
        }

        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            await app.StopAsync();
            await app.DisposeAsync();
            await store.DisposeAsync();
            data.Dispose();
        }
    }
}
