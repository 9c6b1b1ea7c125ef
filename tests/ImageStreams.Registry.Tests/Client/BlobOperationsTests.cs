using ImageStreams.Registry.Client;
using ImageStreams.Registry.Errors;
using ImageStreams.Registry.Manifests;
using ImageStreams.Registry.References;
using ImageStreams.Testing.Http;
using static ImageStreams.Registry.Tests.ScriptedFixtures;

namespace ImageStreams.Registry.Tests.Client;

public class BlobOperationsTests
{
    [Fact]
    public async Task GetAsync_ReturnsTheConfigOfARealImage()
    {
        await using var peer = await RegistryWithImages.StartAsync();
        var reference = ImageReference.Parse(await peer.PushImageAsync("team/app:v1"));
        using var client = TestClients.Create();
        var manifest = Assert.IsType<Schema2Manifest>(await client.Manifests.GetAsync(reference, RegistryAccess.Anonymous));

        var config = await client.Blobs.GetAsync(reference, manifest.Config, RegistryAccess.Anonymous);
        var head = await client.Blobs.HeadAsync(reference, manifest.Config.Digest, RegistryAccess.Anonymous);

        Assert.Equal(manifest.Config.Digest, Digest.Compute(config.Span));
        Assert.Equal(manifest.Config.Size, head.Size);
    }

    [Fact]
    public async Task GetAsync_CorruptedBlob_IsAContentIntegrityError()
    {
        await using var server = await ScriptedHttpServer.StartAsync();
        var descriptor = new Descriptor(MediaTypes.OciConfig, Digest.Compute(Config), Config.Length);
        var corrupted = Config.ToArray();
        corrupted[^2] ^= 0x20;
        server.Script("GET", $"/v2/team/app/blobs/{descriptor.Digest}", ScriptedResponse.Bytes(corrupted, "application/octet-stream"));
        using var client = TestClients.Create();

        var error = await TestClients.FailsWith(RegistryErrorReason.ContentIntegrity,
            () => client.Blobs.GetAsync(Reference(server), descriptor, RegistryAccess.Anonymous));

        Assert.Contains($"blob {descriptor.Digest} has digest {Digest.Compute(corrupted)}", error.Message);
    }

    [Fact]
    public async Task GetAsync_BlobLargerThanTheConfigLimit_IsRefusedBeforeDownloading()
    {
        await using var server = await ScriptedHttpServer.StartAsync();
        var descriptor = new Descriptor(MediaTypes.OciConfig, Digest.Compute(Config), 100 * 1024 * 1024);
        using var client = TestClients.Create();

        await TestClients.FailsWith(RegistryErrorReason.TooLarge, () => client.Blobs.GetAsync(Reference(server), descriptor, RegistryAccess.Anonymous));

        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task OpenAsync_StreamsALayerOfARealImage_AndItsBytesHaveTheDigest()
    {
        await using var peer = await RegistryWithImages.StartAsync();
        var reference = ImageReference.Parse(await peer.PushImageAsync("team/app:v1"));
        using var client = TestClients.Create();
        var layer = Assert.IsType<Schema2Manifest>(await client.Manifests.GetAsync(reference, RegistryAccess.Anonymous)).Layers[0];

        await using var blob = await client.Blobs.OpenAsync(reference, layer.Digest, RegistryAccess.Anonymous);
        using var copy = new MemoryStream();
        await blob.Content.CopyToAsync(copy);

        Assert.Equal(layer.Size, blob.Descriptor.Size);
        Assert.Equal(layer.Digest, Digest.Compute(copy.ToArray()));
    }

    [Fact]
    public async Task OpenAsync_CorruptedBlob_FailsOnTheReadThatReachesTheEnd()
    {
        await using var server = await ScriptedHttpServer.StartAsync();
        var digest = Digest.Compute(Config);
        var corrupted = Config.ToArray();
        corrupted[3] ^= 0x01;
        server.Script("GET", $"/v2/team/app/blobs/{digest}", ScriptedResponse.Bytes(corrupted, "application/octet-stream"));
        using var client = TestClients.Create();
        await using var blob = await client.Blobs.OpenAsync(Reference(server), digest, RegistryAccess.Anonymous);
        var buffer = new byte[corrupted.Length];
        await blob.Content.ReadExactlyAsync(buffer);

        var error = await TestClients.FailsWith(RegistryErrorReason.ContentIntegrity, async () => _ = await blob.Content.ReadAsync(new byte[16]));

        Assert.Contains($"blob {digest} has digest {Digest.Compute(corrupted)}", error.Message);
    }

    [Fact]
    public async Task OpenAsync_BlobTheRegistryDoesNotHave_IsNotFound()
    {
        await using var server = await ScriptedHttpServer.StartAsync();
        using var client = TestClients.Create();

        await TestClients.FailsWith(RegistryErrorReason.NotFound, () => client.Blobs.OpenAsync(Reference(server), Digest.Compute(Config), RegistryAccess.Anonymous));
    }
}
