using System.Text;
using ImageStreams.Registry.Client;
using ImageStreams.Registry.Errors;
using ImageStreams.Registry.Manifests;
using ImageStreams.Registry.References;
using ImageStreams.Testing.Http;
using ImageStreams.Testing.Registry;
using static ImageStreams.Registry.Tests.ScriptedFixtures;

namespace ImageStreams.Registry.Tests.Client;

public class ManifestOperationsTests
{
    [Theory]
    [InlineData(TestImageFormat.Oci, MediaTypes.OciManifest)]
    [InlineData(TestImageFormat.DockerV2S2, MediaTypes.DockerManifest)]
    public async Task HeadAsync_ReturnsTheDigestSkopeoReads(TestImageFormat format, string mediaType)
    {
        await using var peer = await RegistryWithImages.StartAsync();
        var reference = await peer.PushImageAsync("team/app:v1", format);
        using var client = TestClients.Create();

        var head = await client.Manifests.HeadAsync(ImageReference.Parse(reference), RegistryAccess.Anonymous);

        Assert.Equal(await TestImages.ManifestDigestAsync(reference), head.Digest.ToString());
        Assert.Equal(mediaType, head.MediaType);
        Assert.Equal((await TestImages.RawManifestAsync(reference)).Length, head.Size);
    }

    [Fact]
    public async Task HeadAsync_OnceTheRegistryIsKnown_SendsExactlyOneRequest()
    {
        await using var peer = await RegistryWithImages.StartAsync();
        var pushed = await peer.PushImageAsync("team/app:v1");
        await using var proxy = await ScriptedHttpServer.StartAsync(upstream: peer.Registry.BaseUri);
        using var client = TestClients.Create();
        var reference = ImageReference.Parse($"{proxy.Authority}/team/app:v1");
        var first = await client.Manifests.HeadAsync(reference, RegistryAccess.Anonymous);
        Assert.Equal(["GET /v2/", "HEAD /v2/team/app/manifests/v1"], proxy.Requests.Select(r => $"{r.Method} {r.Path}"));
        proxy.ClearRequests();

        var second = await client.Manifests.HeadAsync(reference, RegistryAccess.Anonymous);

        var request = Assert.Single(proxy.Requests);
        Assert.Equal("HEAD", request.Method);
        Assert.Equal(first.Digest, second.Digest);
        Assert.Equal(await TestImages.ManifestDigestAsync(pushed), second.Digest.ToString());
        Assert.Contains(MediaTypes.OciIndex, request.Header("Accept"));
        Assert.Contains(MediaTypes.DockerSchema1Signed, request.Header("Accept"));
    }

    [Fact]
    public async Task ConcurrentFirstRequests_ToOneRegistry_PingItOnce()
    {
        await using var peer = await RegistryWithImages.StartAsync();
        var pushed = await peer.PushImageAsync("team/app:v1");
        await using var proxy = await ScriptedHttpServer.StartAsync(upstream: peer.Registry.BaseUri);
        // A slow ping, so every request arrives while it is under way.
        proxy.Script("GET", "/v2/", ScriptedResponse.Forwarded with { Delay = TimeSpan.FromMilliseconds(300) });
        using var client = TestClients.Create();
        var reference = ImageReference.Parse($"{proxy.Authority}/team/app:v1");

        var heads = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => client.Manifests.HeadAsync(reference, RegistryAccess.Anonymous)));

        Assert.Equal(1, proxy.CountRequests("GET", "/v2/"));
        Assert.Equal(8, proxy.CountRequests("HEAD", "/v2/team/app/manifests/v1"));
        var digest = await TestImages.ManifestDigestAsync(pushed);
        Assert.All(heads, h => Assert.Equal(digest, h.Digest.ToString()));
    }

    [Fact]
    public async Task AFailedPing_IsNotRemembered_TheNextRequestPingsAgain()
    {
        await using var peer = await RegistryWithImages.StartAsync();
        await peer.PushImageAsync("team/app:v1");
        await using var proxy = await ScriptedHttpServer.StartAsync(upstream: peer.Registry.BaseUri);
        proxy.Script("GET", "/v2/", ScriptedResponse.WithStatus(503), ScriptedResponse.Forwarded);
        using var client = TestClients.Create();
        var reference = ImageReference.Parse($"{proxy.Authority}/team/app:v1");
        var once = new RegistryAccess { MaxRetries = 0 };

        await TestClients.FailsWith(RegistryErrorReason.ServerError, () => client.Manifests.HeadAsync(reference, once));
        await client.Manifests.HeadAsync(reference, once);

        Assert.Equal(["GET /v2/", "GET /v2/", "HEAD /v2/team/app/manifests/v1"], proxy.Requests.Select(r => $"{r.Method} {r.Path}"));
    }

    [Fact]
    public async Task GetAsync_ByDigest_ReturnsTheVerifiedManifest()
    {
        await using var peer = await RegistryWithImages.StartAsync();
        var reference = await peer.PushImageAsync("team/app:v1");
        var digest = Digest.Parse(await TestImages.ManifestDigestAsync(reference));
        using var client = TestClients.Create();

        var manifest = await client.Manifests.GetAsync(ImageReference.Parse(reference).ForDigest(digest), RegistryAccess.Anonymous);

        Assert.Equal(digest, manifest.Digest);
        Assert.Equal(await TestImages.RawManifestAsync(reference), manifest.Content.ToArray());
        Assert.IsType<Schema2Manifest>(manifest);
    }

    [Theory]
    [InlineData("team/nothing:v1")]
    [InlineData("team/app:missing")]
    public async Task UnknownRepositoryOrTag_IsNotFound(string repositoryAndTag)
    {
        await using var peer = await RegistryWithImages.StartAsync();
        await peer.PushImageAsync("team/app:v1");
        using var client = TestClients.Create();
        var reference = ImageReference.Parse($"{peer.Registry.Host}/{repositoryAndTag}");

        var head = await TestClients.FailsWith(RegistryErrorReason.NotFound, () => client.Manifests.HeadAsync(reference, RegistryAccess.Anonymous));
        var get = await TestClients.FailsWith(RegistryErrorReason.NotFound, () => client.Manifests.GetAsync(reference, RegistryAccess.Anonymous));

        Assert.Equal($"dockerimage.image.openshift.io \"{peer.Registry.Host}/{repositoryAndTag}\" not found", get.Message);
        Assert.Equal(get.Message, head.Message);
        Assert.Equal("NotFound", get.ToStatus().Reason);
        Assert.Equal("dockerimage", get.ToStatus().Details!.Kind);
    }

    [Fact]
    public async Task GetAsync_BodyNotMatchingDockerContentDigest_IsAContentIntegrityError()
    {
        await using var server = await ScriptedHttpServer.StartAsync();
        var genuine = OciManifest();
        var tampered = OciManifest(config: Encoding.UTF8.GetBytes("""{"architecture":"evil"}"""));
        server.Script("GET", ManifestPath, ScriptedResponse.Bytes(tampered, MediaTypes.OciManifest, DigestHeader(Digest.Compute(genuine))));
        using var client = TestClients.Create();

        var error = await TestClients.FailsWith(RegistryErrorReason.ContentIntegrity, () => client.Manifests.GetAsync(Reference(server), RegistryAccess.Anonymous));

        Assert.StartsWith("content integrity error: ", error.Message);
        Assert.Contains(Digest.Compute(genuine).ToString(), error.Message);
        Assert.True(error.Transient);
    }

    [Fact]
    public async Task GetAsync_ByDigest_WhenTheBodyDiffers_IsAContentIntegrityError()
    {
        await using var server = await ScriptedHttpServer.StartAsync();
        var wanted = Digest.Compute("something else"u8);
        server.Script("GET", $"/v2/team/app/manifests/{wanted}", ScriptedResponse.Bytes(OciManifest(), MediaTypes.OciManifest));
        using var client = TestClients.Create();

        var error = await TestClients.FailsWith(RegistryErrorReason.ContentIntegrity,
            () => client.Manifests.GetAsync(Reference(server, $"team/app@{wanted}"), RegistryAccess.Anonymous));

        Assert.Contains($"not the requested digest {wanted}", error.Message);
    }

    [Fact]
    public async Task HeadAsync_ByDigest_WhenTheRegistryNamesAnother_IsAContentIntegrityError()
    {
        await using var server = await ScriptedHttpServer.StartAsync();
        var wanted = Digest.Compute("wanted"u8);
        server.Script("HEAD", $"/v2/team/app/manifests/{wanted}", Manifest(OciManifest()));
        using var client = TestClients.Create();

        await TestClients.FailsWith(RegistryErrorReason.ContentIntegrity,
            () => client.Manifests.HeadAsync(Reference(server, $"team/app@{wanted}"), RegistryAccess.Anonymous));
    }

    [Fact]
    public async Task HeadAsync_WithoutADigestHeader_FallsBackToTheContent()
    {
        await using var server = await ScriptedHttpServer.StartAsync();
        var bytes = OciManifest();
        server.Script("GET", ManifestPath, ScriptedResponse.Bytes(bytes, MediaTypes.OciManifest));
        using var client = TestClients.Create();

        var head = await client.Manifests.HeadAsync(Reference(server), RegistryAccess.Anonymous);

        Assert.Equal(Digest.Compute(bytes), head.Digest);
        Assert.Equal(1, server.CountRequests("GET", ManifestPath));
    }

    [Fact]
    public async Task GetAsync_ManifestOverTheLimit_IsRefused()
    {
        await using var server = await ScriptedHttpServer.StartAsync();
        var huge = new byte[(4 * 1024 * 1024) + 1];
        server.Script("GET", ManifestPath, ScriptedResponse.Bytes(huge, MediaTypes.OciManifest));
        using var client = TestClients.Create();

        var error = await TestClients.FailsWith(RegistryErrorReason.TooLarge, () => client.Manifests.GetAsync(Reference(server), RegistryAccess.Anonymous));

        Assert.Equal($"the manifest of image \"{Reference(server)}\" is larger than the limit of 4194304 bytes", error.Message);
    }

    [Fact]
    public async Task GetAsync_UnknownManifestKind_IsUnsupported()
    {
        await using var server = await ScriptedHttpServer.StartAsync();
        server.Script("GET", ManifestPath, Manifest(Encoding.UTF8.GetBytes("""{"schemaVersion":2,"mediaType":"application/vnd.example.widget+json"}"""), "application/vnd.example.widget+json"));
        using var client = TestClients.Create();

        var error = await TestClients.FailsWith(RegistryErrorReason.UnsupportedManifest, () => client.Manifests.GetAsync(Reference(server), RegistryAccess.Anonymous));

        Assert.StartsWith("unsupported image manifest type \"application/vnd.example.widget+json\"", error.Message);
    }

    [Fact]
    public async Task GetAsync_GarbageBody_IsAnInvalidResponse()
    {
        await using var server = await ScriptedHttpServer.StartAsync();
        server.Script("GET", ManifestPath, ScriptedResponse.Text("<html>oops</html>", MediaTypes.OciManifest));
        using var client = TestClients.Create();

        var error = await TestClients.FailsWith(RegistryErrorReason.InvalidResponse, () => client.Manifests.GetAsync(Reference(server), RegistryAccess.Anonymous));

        Assert.Contains("invalid manifest: the manifest is not valid JSON", error.Message);
        Assert.True(error.Transient);
    }

    [Fact]
    public async Task ServerWithoutTheV2Api_IsNotAV2Registry()
    {
        await using var server = await ScriptedHttpServer.StartAsync();
        server.Script("GET", "/v2/", ScriptedResponse.WithStatus(404));
        using var client = TestClients.Create();

        var error = await TestClients.FailsWith(RegistryErrorReason.NotV2Registry, () => client.Manifests.HeadAsync(Reference(server), RegistryAccess.Anonymous));

        Assert.Equal($"registry \"{server.Authority}\" does not support the v2 Registry API", error.Message);
        Assert.Equal("NotV2Registry", error.StatusReason);
    }
}
