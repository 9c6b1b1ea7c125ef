using System.Net;
using System.Text.Json.Nodes;
using ImageStreams.Distribution.Tests.Support;
using static ImageStreams.Distribution.Tests.Api.UploadTests;

namespace ImageStreams.Distribution.Tests.Api;

public sealed class ListingTests
{
    [Fact]
    public async Task TagsList_IsSorted_AndPagedWithNAndLast_FollowingTheLinkHeader()
    {
        await using var server = await RegistryServer.StartAsync();
        var ns = await server.NewNamespaceAsync();
        foreach (var tag in new[] { "c", "a", "b" })
        {
            await PushAsync(server, $"{ns}/app", tag);
        }

        using var all = await server.SendAsync(HttpMethod.Get, $"/v2/{ns}/app/tags/list");
        using var first = await server.SendAsync(HttpMethod.Get, $"/v2/{ns}/app/tags/list?n=2");
        var link = Header(first, "Link")!;
        using var next = await server.SendAsync(HttpMethod.Get, link[1..link.IndexOf('>', StringComparison.Ordinal)]);
        using var unknown = await server.SendAsync(HttpMethod.Get, $"/v2/{ns}/nothing/tags/list");
        using var badN = await server.SendAsync(HttpMethod.Get, $"/v2/{ns}/app/tags/list?n=x");

        Assert.Equal(["a", "b", "c"], await Names(all, "tags"));
        Assert.Equal($"{ns}/app", (string?)JsonNode.Parse(await all.Content.ReadAsStringAsync())!["name"]);
        Assert.Null(Header(all, "Link"));
        Assert.Equal(["a", "b"], await Names(first, "tags"));
        Assert.Equal($"</v2/{ns}/app/tags/list?n=2&last=b>; rel=\"next\"", link);
        Assert.Equal(["c"], await Names(next, "tags"));
        Assert.Null(Header(next, "Link"));
        Assert.Equal("NAME_UNKNOWN", await Code(unknown));
        Assert.Equal(HttpStatusCode.BadRequest, badN.StatusCode);
    }

    [Fact]
    public async Task TheCatalog_ListsEveryStream_PagedWithNAndLast()
    {
        await using var server = await RegistryServer.StartAsync();
        var ns = await server.NewNamespaceAsync();
        foreach (var stream in new[] { "zeta", "alpha", "mid" })
        {
            await PushAsync(server, $"{ns}/{stream}", "latest");
        }

        using var first = await server.SendAsync(HttpMethod.Get, "/v2/_catalog?n=2");
        using var rest = await server.SendAsync(HttpMethod.Get, $"/v2/_catalog?n=2&last={ns}/mid");

        Assert.Equal([$"{ns}/alpha", $"{ns}/mid"], await Names(first, "repositories"));
        Assert.Equal($"</v2/_catalog?n=2&last={Uri.EscapeDataString($"{ns}/mid")}>; rel=\"next\"", Header(first, "Link"));
        Assert.Equal([$"{ns}/zeta"], await Names(rest, "repositories"));
    }

    private static async Task PushAsync(RegistryServer server, string repository, string tag)
    {
        var config = TestContent.Config(label: repository);
        await server.UploadBlobAsync(repository, config);
        var manifest = TestContent.Manifest(config);
        using var put = await server.SendAsync(HttpMethod.Put, $"/v2/{repository}/manifests/{tag}", manifest, TestContent.OciManifest);
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
    }

    private static async Task<List<string>> Names(HttpResponseMessage response, string field) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())![field]!.AsArray().Select(t => (string)t!).ToList();
}
