using System.Net;
using System.Text.Json.Nodes;
using ImageStreams.Server.Tests.Support;
using static ImageStreams.Server.Tests.Support.Documents;

namespace ImageStreams.Server.Tests.Api;

public class WatchTests
{
    /// <summary>Reads watch events, one JSON object per line.</summary>
    private sealed class WatchReader : IAsyncDisposable
    {
        private readonly HttpResponseMessage _response;
        private readonly StreamReader _reader;

        private WatchReader(HttpResponseMessage response, StreamReader reader)
        {
            _response = response;
            _reader = reader;
        }

        public HttpStatusCode Status => _response.StatusCode;

        public static async Task<WatchReader> OpenAsync(TestServer server, string path)
        {
            var response = await server.Client.SendAsync(new HttpRequestMessage(HttpMethod.Get, path), HttpCompletionOption.ResponseHeadersRead);
            return new WatchReader(response, new StreamReader(await response.Content.ReadAsStreamAsync()));
        }

        public async Task<JsonObject?> NextAsync()
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            var line = await _reader.ReadLineAsync(timeout.Token);
            return line is null ? null : JsonNode.Parse(line)!.AsObject();
        }

        public ValueTask DisposeAsync()
        {
            _reader.Dispose();
            _response.Dispose();
            return ValueTask.CompletedTask;
        }
    }

    [Fact]
    public async Task WatchFromAListsVersion_SeesOnlyLaterChanges_InOrder()
    {
        await using var server = await TestServer.StartAsync();
        await server.PostAsync(StreamsPath("default"), Stream("before"));
        var version = (await server.GetAsync(StreamsPath("default")))["metadata.resourceVersion"];

        await using var watch = await WatchReader.OpenAsync(server, $"{StreamsPath("default")}?watch=true&resourceVersion={version}");
        await server.PostAsync(StreamsPath("default"), Stream("after"));
        await server.PatchAsync(StreamsPath("default") + "/after", "application/merge-patch+json", """{"metadata":{"labels":{"a":"b"}}}""");
        await server.DeleteAsync(StreamsPath("default") + "/after");

        var events = new[] { await watch.NextAsync(), await watch.NextAsync(), await watch.NextAsync() };
        Assert.Equal(["ADDED", "MODIFIED", "DELETED"], events.Select(e => e!["type"]!.GetValue<string>()));
        Assert.All(events, e => Assert.Equal("after", e!["object"]!["metadata"]!["name"]!.GetValue<string>()));
        Assert.Equal("b", events[1]!["object"]!["metadata"]!["labels"]!["a"]!.GetValue<string>());
        Assert.Equal($"{server.HostPort}/default/after", events[0]!["object"]!["status"]!["dockerImageRepository"]!.GetValue<string>());
    }

    [Fact]
    public async Task WatchWithoutAVersion_StartsWithTheCurrentObjects_AndABookmarkWhenAsked()
    {
        await using var server = await TestServer.StartAsync();
        await server.PostAsync(StreamsPath("default"), Stream("existing"));

        await using var watch = await WatchReader.OpenAsync(server, $"/apis/image.openshift.io/v1/watch/namespaces/default/imagestreams?allowWatchBookmarks=true");
        var added = await watch.NextAsync();
        var bookmark = await watch.NextAsync();

        Assert.Equal("ADDED", added!["type"]!.GetValue<string>());
        Assert.Equal("existing", added["object"]!["metadata"]!["name"]!.GetValue<string>());
        Assert.Equal("BOOKMARK", bookmark!["type"]!.GetValue<string>());
        Assert.Equal("true", bookmark["object"]!["metadata"]!["annotations"]!["k8s.io/initial-events-end"]!.GetValue<string>());
    }

    [Fact]
    public async Task WatchWithALabelSelector_ReportsAnObjectThatStopsMatchingAsDeleted()
    {
        await using var server = await TestServer.StartAsync();
        var labeled = Stream("app");
        labeled["metadata"]!["labels"] = new JsonObject { ["watch"] = "me" };
        await server.PostAsync(StreamsPath("default"), labeled);
        await server.PostAsync(StreamsPath("default"), Stream("other"));

        await using var watch = await WatchReader.OpenAsync(server, $"{StreamsPath("default")}?watch=1&labelSelector=watch%3Dme");
        var added = await watch.NextAsync();
        await server.PatchAsync(StreamsPath("default") + "/other", "application/merge-patch+json", """{"metadata":{"labels":{"x":"y"}}}""");
        await server.PatchAsync(StreamsPath("default") + "/app", "application/merge-patch+json", """{"metadata":{"labels":{"watch":null}}}""");
        var gone = await watch.NextAsync();

        Assert.Equal("app", added!["object"]!["metadata"]!["name"]!.GetValue<string>());
        Assert.Equal("DELETED", gone!["type"]!.GetValue<string>());
        Assert.Equal("app", gone["object"]!["metadata"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Watch_EndsAfterItsTimeout()
    {
        await using var server = await TestServer.StartAsync();
        var version = (await server.GetAsync(StreamsPath("default")))["metadata.resourceVersion"];

        await using var watch = await WatchReader.OpenAsync(server, $"{StreamsPath("default")}?watch=true&resourceVersion={version}&timeoutSeconds=1");

        Assert.Equal(HttpStatusCode.OK, watch.Status);
        Assert.Null(await watch.NextAsync());
    }

    [Fact]
    public async Task WatchFromAVersionNoLongerKept_EndsWithAnExpiredStatus()
    {
        await using var server = await TestServer.StartAsync(new ServerOptions { WatchHistory = 100 });
        for (var i = 0; i < 120; i++)
        {
            await server.PatchAsync("/api/v1/namespaces/default", "application/merge-patch+json", new JsonObject { ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["n"] = $"n{i}" } } }.ToJsonString());
        }

        await using var watch = await WatchReader.OpenAsync(server, "/api/v1/namespaces?watch=true&resourceVersion=1");
        var error = await watch.NextAsync();

        Assert.Equal("ERROR", error!["type"]!.GetValue<string>());
        Assert.Equal(410, error["object"]!["code"]!.GetValue<int>());
        Assert.Equal("Expired", error["object"]!["reason"]!.GetValue<string>());
        Assert.StartsWith("too old resource version: 1", error["object"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
