using System.Net;
using System.Text.Json.Nodes;
using ImageStreams.Distribution.Tests.Support;
using static ImageStreams.Distribution.Tests.Api.UploadTests;

namespace ImageStreams.Distribution.Tests.Api;

public sealed class ManifestTests(RegistryServerFixture fixture) : IClassFixture<RegistryServerFixture>
{
    private readonly RegistryServer server = fixture.Server;

    [Fact]
    public async Task AManifestPushedByTag_IsServedByTagAndByDigest_WithItsTypeAndDigestHeaders()
    {
        var ns = await server.NewNamespaceAsync();
        var manifest = await PushImageAsync($"{ns}/app", "v1");
        var digest = RegistryServer.DigestOf(manifest);

        using var byTag = await server.SendAsync(HttpMethod.Get, $"/v2/{ns}/app/manifests/v1", headers: Accept(TestContent.OciManifest));
        using var head = await server.SendAsync(HttpMethod.Head, $"/v2/{ns}/app/manifests/v1", headers: Accept(TestContent.OciManifest));
        using var byDigest = await server.SendAsync(HttpMethod.Get, $"/v2/{ns}/app/manifests/{digest}");

        Assert.Equal(HttpStatusCode.OK, byTag.StatusCode);
        Assert.Equal(manifest, await byTag.Content.ReadAsByteArrayAsync());
        Assert.Equal(TestContent.OciManifest, byTag.Content.Headers.ContentType!.MediaType);
        Assert.Equal(digest, Header(byTag, "Docker-Content-Digest"));
        Assert.Equal("registry/2.0", Header(byTag, "Docker-Distribution-Api-Version"));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(manifest.Length, head.Content.Headers.ContentLength);
        Assert.Equal(digest, Header(head, "Docker-Content-Digest"));
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
        Assert.Equal(manifest, await byDigest.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task AnIndex_AskedForByAClientThatAcceptsOnlySingleImages_ServesTheAmd64Child_AndAnythingElseIsUnknown()
    {
        var ns = await server.NewNamespaceAsync();
        var arm64 = await PushImageAsync($"{ns}/multi", null, "arm64");
        var amd64 = await PushImageAsync($"{ns}/multi", null, "amd64");
        var index = TestContent.Index((arm64, "arm64"), (amd64, "amd64"));
        using var put = await server.SendAsync(HttpMethod.Put, $"/v2/{ns}/multi/manifests/latest", index, TestContent.OciIndex);

        using var child = await server.SendAsync(HttpMethod.Get, $"/v2/{ns}/multi/manifests/latest", headers: Accept(TestContent.OciManifest));
        using var whole = await server.SendAsync(HttpMethod.Get, $"/v2/{ns}/multi/manifests/latest", headers: Accept($"{TestContent.OciIndex}, {TestContent.OciManifest}"));
        using var refused = await server.SendAsync(HttpMethod.Get, $"/v2/{ns}/multi/manifests/latest", headers: Accept(TestContent.DockerManifest));

        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        Assert.Equal(RegistryServer.DigestOf(amd64), Header(child, "Docker-Content-Digest"));
        Assert.Equal(amd64, await child.Content.ReadAsByteArrayAsync());
        Assert.Equal(RegistryServer.DigestOf(index), Header(whole, "Docker-Content-Digest"));
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        Assert.Equal("MANIFEST_UNKNOWN", await Code(refused));
    }

    [Fact]
    public async Task AnIndexNamingAManifestTheRepositoryDoesNotHave_IsManifestBlobUnknown()
    {
        var ns = await server.NewNamespaceAsync();
        var missing = TestContent.Manifest(TestContent.Config());
        var index = TestContent.Index((missing, "amd64"));

        using var put = await server.SendAsync(HttpMethod.Put, $"/v2/{ns}/multi/manifests/latest", index, TestContent.OciIndex);

        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        Assert.Equal("MANIFEST_BLOB_UNKNOWN", await Code(put));
    }

    [Fact]
    public async Task DeletingAManifestByDigest_RemovesIt_AndDeletingByTagIsUnsupported()
    {
        var ns = await server.NewNamespaceAsync();
        var digest = RegistryServer.DigestOf(await PushImageAsync($"{ns}/app", "v1"));

        using var byTag = await server.SendAsync(HttpMethod.Delete, $"/v2/{ns}/app/manifests/v1");
        using var delete = await server.SendAsync(HttpMethod.Delete, $"/v2/{ns}/app/manifests/{digest}");
        using var gone = await server.SendAsync(HttpMethod.Get, $"/v2/{ns}/app/manifests/{digest}");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, byTag.StatusCode);
        Assert.Equal("UNSUPPORTED", await Code(byTag));
        Assert.Equal(HttpStatusCode.Accepted, delete.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Equal("MANIFEST_UNKNOWN", await Code(gone));
    }

    [Fact]
    public async Task ATagThatDoesNotExist_IsManifestUnknown_AndAStreamThatDoesNotExistIsNameUnknown()
    {
        var ns = await server.NewNamespaceAsync();
        await PushImageAsync($"{ns}/app", "v1");

        using var tag = await server.SendAsync(HttpMethod.Get, $"/v2/{ns}/app/manifests/v2");
        using var stream = await server.SendAsync(HttpMethod.Get, $"/v2/{ns}/nothing/manifests/v1");

        Assert.Equal(HttpStatusCode.NotFound, tag.StatusCode);
        Assert.Equal("MANIFEST_UNKNOWN", await Code(tag));
        Assert.Equal(HttpStatusCode.NotFound, stream.StatusCode);
        Assert.Equal("NAME_UNKNOWN", await Code(stream));
    }

    [Fact]
    public async Task AManifestOverTheLimit_IsRefusedBeforeItIsRead()
    {
        var ns = await server.NewNamespaceAsync();

        using var put = await server.SendAsync(HttpMethod.Put, $"/v2/{ns}/app/manifests/v1", new byte[(4 * 1024 * 1024) + 1], TestContent.OciManifest);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, put.StatusCode);
        Assert.Equal("MANIFEST_INVALID", await Code(put));
    }

    [Fact]
    public async Task APushedTag_WritesTheEventWithTheStreamsGeneration()
    {
        var ns = await server.NewNamespaceAsync();
        await PushImageAsync($"{ns}/app", "v1");
        var stream = (await server.GetStreamAsync(ns, "app"))!.AsObject();
        stream["spec"] = new JsonObject { ["tags"] = new JsonArray(new JsonObject { ["name"] = "other", ["from"] = new JsonObject { ["kind"] = "DockerImage", ["name"] = "example.com/a/b:c" }, ["reference"] = true }) };
        using var update = await server.Client.PutAsync($"/apis/image.openshift.io/v1/namespaces/{ns}/imagestreams/app", new StringContent(stream.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, update.StatusCode);

        await PushImageAsync($"{ns}/app", "v1", label: "second");

        var items = (await server.GetStreamAsync(ns, "app"))!["status"]!["tags"]!.AsArray().First(t => (string?)t!["tag"] == "v1")!["items"]!.AsArray();
        Assert.Equal(2, items.Count);
        Assert.Equal(2, (long)items[0]!["generation"]!);
        Assert.Equal(1, (long)items[1]!["generation"]!);
    }

    /// <summary>Uploads a config and a layer and pushes a manifest naming them, by tag (or by digest when tag is null).</summary>
    private async Task<byte[]> PushImageAsync(string repository, string? tag, string architecture = "amd64", string label = "first")
    {
        var config = TestContent.Config(architecture, label);
        var layer = TestContent.RandomBytes(1000);
        await server.UploadBlobAsync(repository, config);
        await server.UploadBlobAsync(repository, layer);
        var manifest = TestContent.Manifest(config, layer);
        using var put = await server.SendAsync(HttpMethod.Put, $"/v2/{repository}/manifests/{tag ?? RegistryServer.DigestOf(manifest)}", manifest, TestContent.OciManifest);
        Assert.True(put.StatusCode == HttpStatusCode.Created, await put.Content.ReadAsStringAsync());
        Assert.Equal(RegistryServer.DigestOf(manifest), Header(put, "Docker-Content-Digest"));
        return manifest;
    }

    private static Dictionary<string, string> Accept(string types) => new() { ["Accept"] = types };
}
