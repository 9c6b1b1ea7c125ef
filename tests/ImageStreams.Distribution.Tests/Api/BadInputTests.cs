using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ImageStreams.Distribution.Tests.Support;
using ImageStreams.Testing.Processes;
using ImageStreams.Testing.Registry;
using static ImageStreams.Distribution.Tests.Api.UploadTests;

namespace ImageStreams.Distribution.Tests.Api;

/// <summary>The issue's bad input: each gets the spec's error, and a good image pushed before is still whole afterwards.</summary>
public sealed class BadInputTests : IAsyncLifetime
{
    private readonly TestImages images = new();
    private readonly TempDirectory pulled = new("registry-bad-input");
    private RegistryServer server = null!;
    private string ns = "";
    private string goodDigest = "";

    public async Task InitializeAsync()
    {
        server = await RegistryServer.StartAsync();
        ns = await server.NewNamespaceAsync();
        goodDigest = await images.BuildAsync("good", new TestImageSpec { Labels = new Dictionary<string, string> { ["good"] = "yes" } });
        await images.PushAsync("good", $"{server.Host}/{ns}/app:good", credentials: server.Credentials);
    }

    public async Task DisposeAsync()
    {
        // Whatever a test sent, the image pushed first still pulls whole and its tag is unchanged.
        var manifest = await Skopeo.PullAsync($"{server.Host}/{ns}/app:good", pulled.Path, server.Credentials);
        Assert.Equal(goodDigest, RegistryServer.DigestOf(await File.ReadAllBytesAsync(pulled.Combine("manifest.json"))));
        Assert.NotNull(manifest["config"]);
        var items = (await server.GetStreamAsync(ns, "app"))!["status"]!["tags"]!.AsArray().First(t => (string?)t!["tag"] == "good")!["items"]!.AsArray();
        Assert.Equal(goodDigest, (string?)Assert.Single(items)!["image"]);
        await server.DisposeAsync();
        images.Dispose();
        pulled.Dispose();
    }

    [Fact]
    public async Task AManifestNamingABlobTheRepositoryDoesNotHold_IsManifestBlobUnknown_AndTagsNothing()
    {
        var config = TestContent.Config();
        var layer = TestContent.RandomBytes(500);
        await server.UploadBlobAsync($"{ns}/app", config);
        // The layer is in the store, but only through another repository.
        await server.UploadBlobAsync($"{ns}/elsewhere", layer);
        var manifest = TestContent.Manifest(config, layer);

        using var put = await server.SendAsync(HttpMethod.Put, $"/v2/{ns}/app/manifests/broken", manifest, TestContent.OciManifest);
        using var get = await server.SendAsync(HttpMethod.Get, $"/v2/{ns}/app/manifests/broken");

        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        var error = JsonNode.Parse(await put.Content.ReadAsStringAsync())!["errors"]![0]!;
        Assert.Equal("MANIFEST_BLOB_UNKNOWN", (string?)error["code"]);
        Assert.Equal(RegistryServer.DigestOf(layer), (string?)error["detail"]!["digest"]);
        Assert.Equal("MANIFEST_UNKNOWN", await Code(get));
        Assert.Null(await server.GetImageAsync(RegistryServer.DigestOf(manifest)));
    }

    [Fact]
    public async Task AManifestWhoseLayerSizeIsWrong_IsManifestInvalid()
    {
        var config = TestContent.Config();
        var layer = TestContent.RandomBytes(500);
        await server.UploadBlobAsync($"{ns}/app", config);
        await server.UploadBlobAsync($"{ns}/app", layer);
        var manifest = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(TestContent.Manifest(config, layer)).Replace("\"size\":500", "\"size\":499", StringComparison.Ordinal));

        using var put = await server.SendAsync(HttpMethod.Put, $"/v2/{ns}/app/manifests/good", manifest, TestContent.OciManifest);

        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        Assert.Equal("MANIFEST_INVALID", await Code(put));
    }

    [Theory]
    [InlineData("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{\"digest\":\"sha256:nothex\",\"size\":1}}")]
    [InlineData("not json at all")]
    [InlineData("{\"schemaVersion\":1,\"name\":\"x\",\"tag\":\"y\",\"fsLayers\":[],\"history\":[{\"v1Compatibility\":\"{}\"}]}")]
    public async Task AManifestThatCannotBeRead_IsManifestInvalid_AndTheTagKeepsItsImage(string body)
    {
        using var put = await server.SendAsync(HttpMethod.Put, $"/v2/{ns}/app/manifests/good", Encoding.UTF8.GetBytes(body), TestContent.OciManifest);

        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        Assert.Equal("MANIFEST_INVALID", await Code(put));
    }

    [Fact]
    public async Task AManifestPushedUnderAnotherDigest_IsDigestInvalid()
    {
        var config = TestContent.Config();
        await server.UploadBlobAsync($"{ns}/app", config);
        var manifest = TestContent.Manifest(config);

        using var put = await server.SendAsync(HttpMethod.Put, $"/v2/{ns}/app/manifests/{goodDigest}", manifest, TestContent.OciManifest);

        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        Assert.Equal("DIGEST_INVALID", await Code(put));
    }

    [Fact]
    public async Task AnUploadWhoseContentHasAnotherDigest_IsDigestInvalid_AndStoresNothing()
    {
        var content = TestContent.RandomBytes(5000);
        var claimed = RegistryServer.DigestOf(TestContent.RandomBytes(5000));
        using var start = await server.SendAsync(HttpMethod.Post, $"/v2/{ns}/app/blobs/uploads/");
        var location = start.Headers.Location!.ToString();

        using var put = await server.SendAsync(HttpMethod.Put, $"{location}?digest={claimed}", content, "application/octet-stream");
        using var claimedHead = await server.SendAsync(HttpMethod.Head, $"/v2/{ns}/app/blobs/{claimed}");
        using var actualHead = await server.SendAsync(HttpMethod.Head, $"/v2/{ns}/app/blobs/{RegistryServer.DigestOf(content)}");
        using var upload = await server.SendAsync(HttpMethod.Get, location);

        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        Assert.Equal("DIGEST_INVALID", await Code(put));
        Assert.Equal(HttpStatusCode.NotFound, claimedHead.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, actualHead.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, upload.StatusCode);
        Assert.False(StoredAnywhere(claimed));
        Assert.False(StoredAnywhere(RegistryServer.DigestOf(content)));
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(server.RegistryRoot, "uploads")));
    }

    [Fact]
    public async Task ATruncatedUpload_LeavesNothingVisible_AndCannotBeCompletedAsTheWholeBlob()
    {
        var content = TestContent.RandomBytes(100_000);
        var digest = RegistryServer.DigestOf(content);
        using var start = await server.SendAsync(HttpMethod.Post, $"/v2/{ns}/app/blobs/uploads/");
        var location = start.Headers.Location!.ToString();

        // The client announces all of it, sends 40%, and goes away.
        await RawHttp.SendAsync(server.Host,
            $"PUT {location}?digest={digest} HTTP/1.1\nHost: {server.Host}\nAuthorization: Bearer {server.Server.AdminToken}\nContent-Type: application/octet-stream\nContent-Length: {content.Length}\nConnection: close\n",
            content[..40_000], closeAfterBody: true);
        using var head = await server.SendAsync(HttpMethod.Head, $"/v2/{ns}/app/blobs/{digest}");
        using var status = await server.SendAsync(HttpMethod.Get, location);
        using var complete = await server.SendAsync(HttpMethod.Put, $"{location}?digest={digest}");

        Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, status.StatusCode);
        Assert.Equal("DIGEST_INVALID", await Code(complete));
        Assert.False(StoredAnywhere(digest));
    }

    [Fact]
    public async Task AChunkLongerOrShorterThanItsContentRange_IsSizeInvalid_BeforeAnyByteIsKept()
    {
        using var start = await server.SendAsync(HttpMethod.Post, $"/v2/{ns}/app/blobs/uploads/");
        var location = start.Headers.Location!.ToString();

        using var patch = await server.SendAsync(HttpMethod.Patch, location, TestContent.RandomBytes(100), "application/octet-stream",
            new Dictionary<string, string> { ["Content-Range"] = "0-49" });
        using var status = await server.SendAsync(HttpMethod.Get, location);

        Assert.Equal(HttpStatusCode.BadRequest, patch.StatusCode);
        Assert.Equal("SIZE_INVALID", await Code(patch));
        Assert.Equal("0-0", Header(status, "Range"));
    }

    [Theory]
    [InlineData("Upper/case")]
    [InlineData("just-one")]
    [InlineData("a/b/c")]
    [InlineData("-bad/name")]
    [InlineData("ns/bad_underscore")]
    [InlineData("ns/a%2Fb")]
    public async Task AnInvalidRepositoryName_IsNameInvalid(string name)
    {
        using var tags = await server.SendAsync(HttpMethod.Get, $"/v2/{name}/tags/list");
        using var upload = await server.SendAsync(HttpMethod.Post, $"/v2/{name}/blobs/uploads/");

        Assert.Equal(HttpStatusCode.BadRequest, tags.StatusCode);
        Assert.Equal("NAME_INVALID", await Code(tags));
        Assert.Equal("NAME_INVALID", await Code(upload));
    }

    [Theory]
    [InlineData("bad tag!")]
    [InlineData(".hidden")]
    public async Task AnInvalidTag_IsTagInvalid(string tag)
    {
        using var get = await server.SendAsync(HttpMethod.Get, $"/v2/{ns}/app/manifests/{Uri.EscapeDataString(tag)}");

        Assert.Equal(HttpStatusCode.BadRequest, get.StatusCode);
        Assert.Equal("TAG_INVALID", await Code(get));
    }

    [Theory]
    [InlineData("/blobs/sha256:abc")]
    [InlineData("/blobs/md5:d41d8cd98f00b204e9800998ecf8427e")]
    [InlineData("/manifests/sha256:ABCDEF0000000000000000000000000000000000000000000000000000000000")]
    public async Task AnInvalidDigest_IsDigestInvalid(string path)
    {
        using var get = await server.SendAsync(HttpMethod.Get, $"/v2/{ns}/app{path}");

        Assert.Equal(HttpStatusCode.BadRequest, get.StatusCode);
        Assert.Equal("DIGEST_INVALID", await Code(get));
    }

    [Theory]
    [InlineData("GET /v2/../../../etc/passwd/manifests/latest")]
    [InlineData("GET /v2/..%2F..%2F..%2Fetc/passwd/manifests/latest")]
    [InlineData("GET /v2/%2E%2E/%2E%2E/blobs/sha256:0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("GET /v2/NS/app/blobs/sha256:..%2F..%2F..%2F..%2Fsecret")]
    [InlineData("GET /v2/NS/app/manifests/..%2F..%2F..%2Fsecret")]
    [InlineData("GET /v2/NS/app/blobs/uploads/..%2F..%2F..%2Fsecret")]
    [InlineData("PUT /v2/NS/app/blobs/uploads/..%2F..%2Fsecret?digest=sha256:0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("PUT /v2/NS/..%2F..%2F..%2Fsecret/manifests/latest")]
    public async Task PathTraversalAttempts_AreRefused_AndReachNoFileOutsideTheRegistry(string requestLine)
    {
        var secret = Path.Combine(Path.GetDirectoryName(server.RegistryRoot)!, "secret");
        await File.WriteAllTextAsync(secret, "do not serve");
        var before = File.GetLastWriteTimeUtc(secret);

        var (status, text) = await RawHttp.SendAsync(server.Host,
            $"{requestLine.Replace("NS", ns, StringComparison.Ordinal)} HTTP/1.1\nHost: {server.Host}\nAuthorization: Bearer {server.Server.AdminToken}\nContent-Length: 0\nConnection: close\n");

        Assert.True(status is 400 or 404, $"{status}: {text}");
        Assert.DoesNotContain("do not serve", text, StringComparison.Ordinal);
        Assert.Equal("do not serve", await File.ReadAllTextAsync(secret));
        Assert.Equal(before, File.GetLastWriteTimeUtc(secret));
    }

    private bool StoredAnywhere(string digest) =>
        Directory.GetFiles(Path.Combine(server.RegistryRoot, "blobs"), digest["sha256:".Length..], SearchOption.AllDirectories).Length > 0;
}
