using System.Text;
using ImageStreams.Registry.Auth;
using ImageStreams.Registry.Client;
using ImageStreams.Registry.Errors;
using ImageStreams.Registry.Manifests;
using ImageStreams.Registry.References;
using ImageStreams.Testing.Http;
using ImageStreams.Testing.Processes;
using ImageStreams.Testing.Registry;

namespace ImageStreams.Registry.Tests.Client;

public class PushOperationsTests
{
    private static readonly byte[] Layer = RandomBytes(300_000, seed: 7);

    [Fact]
    public async Task UploadAsync_StoresTheBlob_AndAHeadFindsItWithItsSize()
    {
        await using var registry = await DockerRegistryPeer.StartAsync();
        using var client = TestClients.Create();
        var repository = ImageReference.Parse($"{registry.Host}/team/app");
        var blob = new Descriptor(MediaTypes.OciLayer, Digest.Compute(Layer), Layer.Length);

        await client.Blobs.UploadAsync(repository, blob, () => new MemoryStream(Layer), RegistryAccess.Anonymous);
        var head = await client.Blobs.HeadAsync(repository, blob.Digest, RegistryAccess.Anonymous);

        Assert.Equal(Layer.Length, head.Size);
    }

    [Fact]
    public async Task UploadChunkedAsync_SendsSeveralChunks_AndTheRegistryServesTheSameBytes()
    {
        await using var registry = await DockerRegistryPeer.StartAsync();
        using var client = TestClients.Create();
        var repository = ImageReference.Parse($"{registry.Host}/team/app");
        var blob = new Descriptor(MediaTypes.OciLayer, Digest.Compute(Layer), Layer.Length);

        await client.Blobs.UploadChunkedAsync(repository, blob, new MemoryStream(Layer), chunkSize: 64 * 1024, RegistryAccess.Anonymous);
        await using var content = await client.Blobs.OpenAsync(repository, blob.Digest, RegistryAccess.Anonymous);
        using var copy = new MemoryStream();
        await content.Content.CopyToAsync(copy);

        Assert.Equal(Layer, copy.ToArray());
    }

    [Fact]
    public async Task UploadAsync_WrongDigest_IsRefusedByTheRegistry()
    {
        await using var registry = await DockerRegistryPeer.StartAsync();
        using var client = TestClients.Create();
        var repository = ImageReference.Parse($"{registry.Host}/team/app");
        var wrong = new Descriptor(MediaTypes.OciLayer, Digest.Compute(Encoding.UTF8.GetBytes("other")), Layer.Length);

        var error = await Assert.ThrowsAsync<RegistryException>(
            () => client.Blobs.UploadAsync(repository, wrong, () => new MemoryStream(Layer), RegistryAccess.Anonymous));

        Assert.Contains("DIGEST_INVALID", error.Message);
    }

    [Fact]
    public async Task MountAsync_BlobOfAnotherRepository_IsMountedWithoutUpload()
    {
        await using var registry = await DockerRegistryPeer.StartAsync();
        using var client = TestClients.Create();
        var source = ImageReference.Parse($"{registry.Host}/team/base");
        var target = ImageReference.Parse($"{registry.Host}/team/app");
        var blob = new Descriptor(MediaTypes.OciLayer, Digest.Compute(Layer), Layer.Length);
        await client.Blobs.UploadAsync(source, blob, () => new MemoryStream(Layer), RegistryAccess.Anonymous);

        var mounted = await client.Blobs.MountAsync(target, blob.Digest, source, RegistryAccess.Anonymous);
        var head = await client.Blobs.HeadAsync(target, blob.Digest, RegistryAccess.Anonymous);

        Assert.True(mounted);
        Assert.Equal(Layer.Length, head.Size);
    }

    [Fact]
    public async Task MountAsync_BlobTheSourceLacks_ReturnsFalse()
    {
        await using var registry = await DockerRegistryPeer.StartAsync();
        using var client = TestClients.Create();

        var mounted = await client.Blobs.MountAsync(
            ImageReference.Parse($"{registry.Host}/team/app"), Digest.Compute(Layer), ImageReference.Parse($"{registry.Host}/team/base"), RegistryAccess.Anonymous);

        Assert.False(mounted);
    }

    [Fact]
    public async Task PutAsync_Manifest_IsServedBackByTagWithItsDigest_AndReadBySkopeo()
    {
        await using var registry = await DockerRegistryPeer.StartAsync();
        using var client = TestClients.Create();
        var reference = ImageReference.Parse($"{registry.Host}/team/app:v1");
        var (manifest, _) = await PushMinimalImageAsync(client, reference, RegistryAccess.Anonymous);

        var stored = await client.Manifests.PutAsync(reference, MediaTypes.OciManifest, manifest, RegistryAccess.Anonymous);
        var fetched = await client.Manifests.GetAsync(reference, RegistryAccess.Anonymous);

        Assert.Equal(Digest.Compute(manifest), stored.Digest);
        Assert.Equal(stored.Digest.ToString(), await TestImages.ManifestDigestAsync(reference.Exact()));
        Assert.Equal(stored.Digest, fetched.Digest);
    }

    [Fact]
    public async Task PutAsync_ManifestWhoseBlobsAreMissing_IsRefused()
    {
        await using var registry = await DockerRegistryPeer.StartAsync();
        using var client = TestClients.Create();
        var reference = ImageReference.Parse($"{registry.Host}/team/app:v1");
        var manifest = ManifestBytes(new Descriptor(MediaTypes.OciConfig, Digest.Compute(Layer), Layer.Length), []);

        var error = await Assert.ThrowsAsync<RegistryException>(
            () => client.Manifests.PutAsync(reference, MediaTypes.OciManifest, manifest, RegistryAccess.Anonymous));

        Assert.Contains("MANIFEST_BLOB_UNKNOWN", error.Message);
    }

    [Fact]
    public async Task Uploads_WithTokenAuth_AskForPushScope_AndMountsAlsoForThePullScopeOfTheSource()
    {
        using var directory = new TempDirectory();
        await using var issuer = await TestTokenIssuer.StartAsync(directory.Path, new Dictionary<string, string> { ["bob"] = "builder" });
        await using var registry = await DockerRegistryPeer.StartWithTokenAuthAsync(issuer);
        using var client = TestClients.Create();
        var bob = new RegistryAccess { Credentials = CredentialProviders.Static(new RegistryCredential("bob", "builder")) };
        var source = ImageReference.Parse($"{registry.Host}/team/base");
        var target = ImageReference.Parse($"{registry.Host}/team/app:v1");
        var blob = new Descriptor(MediaTypes.OciLayer, Digest.Compute(Layer), Layer.Length);

        await client.Blobs.UploadAsync(source, blob, () => new MemoryStream(Layer), bob);
        var mounted = await client.Blobs.MountAsync(target, blob.Digest, source, bob);
        var (manifest, _) = await PushMinimalImageAsync(client, target, bob);
        await client.Manifests.PutAsync(target, MediaTypes.OciManifest, manifest, bob);

        Assert.True(mounted);
        Assert.Contains(issuer.Requests, r => r.Scopes.SequenceEqual(["repository:team/base:pull,push"]));
        Assert.Contains(issuer.Requests, r => r.Scopes.SequenceEqual(["repository:team/app:pull,push", "repository:team/base:pull"]));
    }

    [Fact]
    public async Task UploadAsync_RetriesAfterA503_SendingTheBodyAgain()
    {
        await using var server = await ScriptedHttpServer.StartAsync();
        var digest = Digest.Compute(Layer);
        server.Script("POST", "/v2/team/app/blobs/uploads/", ScriptedResponse.WithStatus(202) with { Headers = new Dictionary<string, string> { ["Location"] = "/v2/team/app/blobs/uploads/u1" } });
        server.Script("PUT", "/v2/team/app/blobs/uploads/u1", ScriptedResponse.WithStatus(503), ScriptedResponse.WithStatus(201));
        using var client = TestClients.Create();

        await client.Blobs.UploadAsync(ImageReference.Parse($"{server.Authority}/team/app"), new Descriptor(MediaTypes.OciLayer, digest, Layer.Length),
            () => new MemoryStream(Layer), RegistryAccess.Anonymous);

        var puts = server.Requests.Where(r => r.Method == "PUT").ToList();
        Assert.Equal(2, puts.Count);
        Assert.All(puts, put => Assert.Equal(Layer.Length.ToString(), put.Header("Content-Length")));
        Assert.All(puts, put => Assert.EndsWith($"?digest={Uri.EscapeDataString(digest.ToString())}", put.PathAndQuery));
    }

    private static async Task<(byte[] Manifest, Descriptor Config)> PushMinimalImageAsync(IRegistryClient client, ImageReference reference, RegistryAccess access)
    {
        var layer = new Descriptor(MediaTypes.OciLayer, Digest.Compute(Layer), Layer.Length);
        await client.Blobs.UploadAsync(reference, layer, () => new MemoryStream(Layer), access);
        var configBytes = Encoding.UTF8.GetBytes("""{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}""");
        var config = new Descriptor(MediaTypes.OciConfig, Digest.Compute(configBytes), configBytes.Length);
        await client.Blobs.UploadAsync(reference, config, () => new MemoryStream(configBytes), access);
        return (ManifestBytes(config, [layer]), config);
    }

    private static byte[] ManifestBytes(Descriptor config, IReadOnlyList<Descriptor> layers)
    {
        static string Json(Descriptor d) => $$"""{"mediaType":"{{d.MediaType}}","digest":"{{d.Digest}}","size":{{d.Size}}}""";
        return Encoding.UTF8.GetBytes(
            $$"""{"schemaVersion":2,"mediaType":"{{MediaTypes.OciManifest}}","config":{{Json(config)}},"layers":[{{string.Join(',', layers.Select(Json))}}]}""");
    }

    private static byte[] RandomBytes(int count, int seed)
    {
        var bytes = new byte[count];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
