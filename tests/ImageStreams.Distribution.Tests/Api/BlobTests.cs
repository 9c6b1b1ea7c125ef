using System.Net;
using ImageStreams.Distribution.Tests.Support;
using static ImageStreams.Distribution.Tests.Api.UploadTests;

namespace ImageStreams.Distribution.Tests.Api;

public sealed class BlobTests(RegistryServerFixture fixture) : IClassFixture<RegistryServerFixture>
{
    private readonly RegistryServer server = fixture.Server;

    [Fact]
    public async Task ARangeRequest_GetsThatPart_AndARangeOutsideTheBlobIs416()
    {
        var ns = await server.NewNamespaceAsync();
        var content = TestContent.RandomBytes(1000);
        var digest = await server.UploadBlobAsync($"{ns}/app", content);
        var path = $"/v2/{ns}/app/blobs/{digest}";

        using var middle = await server.SendAsync(HttpMethod.Get, path, headers: new Dictionary<string, string> { ["Range"] = "bytes=100-199" });
        using var tail = await server.SendAsync(HttpMethod.Get, path, headers: new Dictionary<string, string> { ["Range"] = "bytes=-10" });
        using var open = await server.SendAsync(HttpMethod.Get, path, headers: new Dictionary<string, string> { ["Range"] = "bytes=990-" });
        using var outside = await server.SendAsync(HttpMethod.Get, path, headers: new Dictionary<string, string> { ["Range"] = "bytes=1000-1200" });

        Assert.Equal(HttpStatusCode.PartialContent, middle.StatusCode);
        Assert.Equal("bytes 100-199/1000", Header(middle, "Content-Range"));
        Assert.Equal(content[100..200], await middle.Content.ReadAsByteArrayAsync());
        Assert.Equal(content[990..], await tail.Content.ReadAsByteArrayAsync());
        Assert.Equal(content[990..], await open.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, outside.StatusCode);
        Assert.Equal("bytes */1000", Header(outside, "Content-Range"));
    }

    [Fact]
    public async Task ABlobOfOneRepository_IsUnknownInAnother_ThoughTheStoreIsShared()
    {
        var ns = await server.NewNamespaceAsync();
        var digest = await server.UploadBlobAsync($"{ns}/app", TestContent.RandomBytes(100));

        using var head = await server.SendAsync(HttpMethod.Head, $"/v2/{ns}/other/blobs/{digest}");
        using var get = await server.SendAsync(HttpMethod.Get, $"/v2/{ns}/other/blobs/{digest}");

        Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        Assert.Equal("BLOB_UNKNOWN", await Code(get));
    }

    [Fact]
    public async Task DeletingABlob_RemovesItFromThatRepositoryOnly()
    {
        var ns = await server.NewNamespaceAsync();
        var content = TestContent.RandomBytes(100);
        var digest = await server.UploadBlobAsync($"{ns}/a", content);
        await server.UploadBlobAsync($"{ns}/b", content);

        using var delete = await server.SendAsync(HttpMethod.Delete, $"/v2/{ns}/a/blobs/{digest}");
        using var gone = await server.SendAsync(HttpMethod.Head, $"/v2/{ns}/a/blobs/{digest}");
        using var kept = await server.SendAsync(HttpMethod.Get, $"/v2/{ns}/b/blobs/{digest}");

        Assert.Equal(HttpStatusCode.Accepted, delete.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Equal(content, await kept.Content.ReadAsByteArrayAsync());
    }
}
