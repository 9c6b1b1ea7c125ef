using System.Net;
using System.Text.Json.Nodes;
using ImageStreams.Distribution.Tests.Support;
using ImageStreams.Server;

namespace ImageStreams.Distribution.Tests.Api;

public sealed class UploadTests(RegistryServerFixture fixture) : IClassFixture<RegistryServerFixture>
{
    private readonly RegistryServer server = fixture.Server;

    [Fact]
    public async Task ABlobOverTheLimit_IsRefusedWhileItIsSent_InOnePieceOrInChunks()
    {
        await using var limited = await RegistryServer.StartAsync(new ServerOptions { RegistryMaxBlobBytes = 100_000 });
        var ns = await limited.NewNamespaceAsync();
        var content = TestContent.RandomBytes(150_000);

        using var start = await limited.SendAsync(HttpMethod.Post, $"/v2/{ns}/app/blobs/uploads/");
        using var put = await limited.SendAsync(HttpMethod.Put, $"{start.Headers.Location}?digest={RegistryServer.DigestOf(content)}", content, "application/octet-stream");
        using var second = await limited.SendAsync(HttpMethod.Post, $"/v2/{ns}/app/blobs/uploads/");
        using var first = await limited.SendAsync(HttpMethod.Patch, second.Headers.Location!.ToString(), content[..60_000], "application/octet-stream");
        using var over = await limited.SendAsync(HttpMethod.Patch, second.Headers.Location!.ToString(), content[60_000..], "application/octet-stream");
        var fits = TestContent.RandomBytes(99_000);
        var fitting = await limited.UploadBlobAsync($"{ns}/app", fits);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, put.StatusCode);
        Assert.Contains("SIZE_INVALID", await put.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, over.StatusCode);
        Assert.Equal(RegistryServer.DigestOf(fits), fitting);
    }

    [Fact]
    public async Task AMonolithicUpload_PostThenPutWithTheDigest_MakesTheBlobReadable()
    {
        var ns = await server.NewNamespaceAsync();
        var content = TestContent.RandomBytes(300_000);
        var digest = RegistryServer.DigestOf(content);

        using var start = await server.SendAsync(HttpMethod.Post, $"/v2/{ns}/app/blobs/uploads/");
        var location = start.Headers.Location!.ToString();
        using var put = await server.SendAsync(HttpMethod.Put, $"{location}?digest={digest}", content, "application/octet-stream");
        using var head = await server.SendAsync(HttpMethod.Head, $"/v2/{ns}/app/blobs/{digest}");
        using var get = await server.SendAsync(HttpMethod.Get, $"/v2/{ns}/app/blobs/{digest}");

        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        Assert.StartsWith($"/v2/{ns}/app/blobs/uploads/", location, StringComparison.Ordinal);
        Assert.Equal("0-0", Header(start, "Range"));
        Assert.Equal(location.Split('/')[^1], Header(start, "Docker-Upload-UUID"));
        Assert.Equal("registry/2.0", Header(start, "Docker-Distribution-Api-Version"));
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        Assert.Equal($"/v2/{ns}/app/blobs/{digest}", put.Headers.Location!.ToString());
        Assert.Equal(digest, Header(put, "Docker-Content-Digest"));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(content.Length, head.Content.Headers.ContentLength);
        Assert.Equal(digest, Header(head, "Docker-Content-Digest"));
        Assert.Equal(content, await get.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task AChunkedUpload_AppendsChunksInOrder_AndAChunkOutOfOrderIs416WithWhereToResume()
    {
        var ns = await server.NewNamespaceAsync();
        var content = TestContent.RandomBytes(100_000);
        var digest = RegistryServer.DigestOf(content);
        using var start = await server.SendAsync(HttpMethod.Post, $"/v2/{ns}/app/blobs/uploads/");
        var location = start.Headers.Location!.ToString();

        using var first = await Patch(location, content[..40_000], "0-39999");
        using var skipped = await Patch(location, content[60_000..], "60000-99999");
        using var status = await server.SendAsync(HttpMethod.Get, location);
        using var second = await Patch(location, content[40_000..], "40000-99999");
        using var put = await server.SendAsync(HttpMethod.Put, $"{location}?digest={digest}");
        using var get = await server.SendAsync(HttpMethod.Get, $"/v2/{ns}/app/blobs/{digest}");

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal("0-39999", Header(first, "Range"));
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, skipped.StatusCode);
        Assert.Equal("BLOB_UPLOAD_INVALID", await Code(skipped));
        Assert.Equal("0-39999", Header(skipped, "Range"));
        Assert.Equal(location, skipped.Headers.Location!.ToString());
        Assert.Equal(HttpStatusCode.NoContent, status.StatusCode);
        Assert.Equal("0-39999", Header(status, "Range"));
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        Assert.Equal("0-99999", Header(second, "Range"));
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        Assert.Equal(content, await get.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task AChunkWithoutContentRange_IsStreamedOnto_TheUpload()
    {
        var ns = await server.NewNamespaceAsync();
        var content = TestContent.RandomBytes(50_000);
        var digest = RegistryServer.DigestOf(content);
        using var start = await server.SendAsync(HttpMethod.Post, $"/v2/{ns}/app/blobs/uploads/");
        var location = start.Headers.Location!.ToString();

        using var patch = await server.SendAsync(HttpMethod.Patch, location, content, "application/octet-stream");
        using var put = await server.SendAsync(HttpMethod.Put, $"{location}?digest={digest}");

        Assert.Equal("0-49999", Header(patch, "Range"));
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
    }

    [Fact]
    public async Task APostWithTheDigest_UploadsTheWholeBlobInOneRequest()
    {
        var ns = await server.NewNamespaceAsync();
        var content = TestContent.RandomBytes(10_000);
        var digest = RegistryServer.DigestOf(content);

        using var post = await server.SendAsync(HttpMethod.Post, $"/v2/{ns}/app/blobs/uploads/?digest={digest}", content, "application/octet-stream");
        using var get = await server.SendAsync(HttpMethod.Get, $"/v2/{ns}/app/blobs/{digest}");

        Assert.Equal(HttpStatusCode.Created, post.StatusCode);
        Assert.Equal(digest, Header(post, "Docker-Content-Digest"));
        Assert.Equal(content, await get.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task AMount_LinksABlobOfAnotherRepository_AndFallsBackToAnUploadWhenTheSourceLacksIt()
    {
        var ns = await server.NewNamespaceAsync();
        var digest = await server.UploadBlobAsync($"{ns}/source", TestContent.RandomBytes(20_000));
        var absent = RegistryServer.DigestOf(TestContent.RandomBytes(10));

        using var mounted = await server.SendAsync(HttpMethod.Post, $"/v2/{ns}/target/blobs/uploads/?mount={digest}&from={ns}/source");
        using var head = await server.SendAsync(HttpMethod.Head, $"/v2/{ns}/target/blobs/{digest}");
        using var fallback = await server.SendAsync(HttpMethod.Post, $"/v2/{ns}/target/blobs/uploads/?mount={absent}&from={ns}/source");

        Assert.Equal(HttpStatusCode.Created, mounted.StatusCode);
        Assert.Equal($"/v2/{ns}/target/blobs/{digest}", mounted.Headers.Location!.ToString());
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, fallback.StatusCode);
        Assert.Contains("/blobs/uploads/", fallback.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACancelledUpload_IsUnknownAfterwards()
    {
        var ns = await server.NewNamespaceAsync();
        using var start = await server.SendAsync(HttpMethod.Post, $"/v2/{ns}/app/blobs/uploads/");
        var location = start.Headers.Location!.ToString();

        using var cancel = await server.SendAsync(HttpMethod.Delete, location);
        using var status = await server.SendAsync(HttpMethod.Get, location);

        Assert.Equal(HttpStatusCode.NoContent, cancel.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, status.StatusCode);
        Assert.Equal("BLOB_UPLOAD_UNKNOWN", await Code(status));
    }

    [Fact]
    public async Task AnUploadIdOfAnotherRepository_IsUnknown()
    {
        var ns = await server.NewNamespaceAsync();
        using var start = await server.SendAsync(HttpMethod.Post, $"/v2/{ns}/app/blobs/uploads/");
        var id = start.Headers.Location!.ToString().Split('/')[^1];

        using var elsewhere = await server.SendAsync(HttpMethod.Get, $"/v2/{ns}/other/blobs/uploads/{id}");

        Assert.Equal(HttpStatusCode.NotFound, elsewhere.StatusCode);
        Assert.Equal("BLOB_UPLOAD_UNKNOWN", await Code(elsewhere));
    }

    [Fact]
    public async Task AnUploadIntoANamespaceThatDoesNotExist_IsNameUnknown()
    {
        using var start = await server.SendAsync(HttpMethod.Post, "/v2/no-such-namespace/app/blobs/uploads/");

        Assert.Equal(HttpStatusCode.NotFound, start.StatusCode);
        Assert.Equal("NAME_UNKNOWN", await Code(start));
    }

    [Fact]
    public async Task ConcurrentUploadsOfTheSameBlob_AllSucceed_AndLeaveOneCompleteCopy()
    {
        var ns = await server.NewNamespaceAsync();
        var content = TestContent.RandomBytes(2_000_000);
        var digest = RegistryServer.DigestOf(content);

        await Task.WhenAll(Enumerable.Range(0, 8).Select(i => server.UploadBlobAsync($"{ns}/app{i % 3}", content)));

        for (var i = 0; i < 3; i++)
        {
            using var get = await server.SendAsync(HttpMethod.Get, $"/v2/{ns}/app{i}/blobs/{digest}");
            Assert.Equal(content, await get.Content.ReadAsByteArrayAsync());
        }
        var stored = Directory.GetFiles(Path.Combine(server.RegistryRoot, "blobs"), digest["sha256:".Length..], SearchOption.AllDirectories);
        Assert.Single(stored);
        Assert.Empty(Directory.GetFiles(Path.Combine(server.RegistryRoot, "tmp")));
    }

    [Fact]
    public async Task OpenUploadsAreLimited_AndAFinishedOneMakesRoomAgain()
    {
        await using var limited = await RegistryServer.StartAsync(new ServerOptions { RegistryMaxUploads = 2 });
        var ns = await limited.NewNamespaceAsync();
        using var first = await limited.SendAsync(HttpMethod.Post, $"/v2/{ns}/app/blobs/uploads/");
        using var second = await limited.SendAsync(HttpMethod.Post, $"/v2/{ns}/app/blobs/uploads/");

        using var refused = await limited.SendAsync(HttpMethod.Post, $"/v2/{ns}/app/blobs/uploads/");
        using var cancel = await limited.SendAsync(HttpMethod.Delete, first.Headers.Location!.ToString());
        using var again = await limited.SendAsync(HttpMethod.Post, $"/v2/{ns}/app/blobs/uploads/");

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("TOOMANYREQUESTS", await Code(refused));
        Assert.NotNull(refused.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
    }

    private Task<HttpResponseMessage> Patch(string location, byte[] chunk, string range) =>
        server.SendAsync(HttpMethod.Patch, location, chunk, "application/octet-stream", new Dictionary<string, string> { ["Content-Range"] = range });

    internal static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values) ? values.First() : null;

    internal static async Task<string?> Code(HttpResponseMessage response)
    {
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync());
        return (string?)body?["errors"]?[0]?["code"];
    }
}
