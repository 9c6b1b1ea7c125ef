using System.Net.Http.Headers;
using ImageStreams.Registry.Client;
using ImageStreams.Registry.Inspection;
using ImageStreams.Registry.Manifests;
using ImageStreams.Registry.References;
using ImageStreams.Testing.Http;
using ImageStreams.Testing.Registry;

namespace ImageStreams.Registry.Tests.Inspection;

/// <summary>
/// Old images: docker-registry serves a Docker schema 2 image as signed schema 1 to a client that accepts
/// nothing newer, which gives a real signed schema 1 manifest to read.
/// </summary>
public class Schema1Tests
{
    [Fact]
    public async Task SignedSchema1_DigestIsThatOfThePayloadWithoutSignatures()
    {
        await using var peer = await RegistryWithImages.StartAsync();
        var pushed = await peer.PushImageAsync("team/old:v1", TestImageFormat.DockerV2S2);
        var (bytes, contentType, registryDigest) = await Schema1Async(peer, "team/old", "v1");

        var manifest = Assert.IsType<Schema1Manifest>(ManifestParser.Parse(bytes, contentType));

        Assert.Equal(MediaTypes.DockerSchema1Signed, manifest.MediaType);
        Assert.Equal(registryDigest, manifest.Digest);
        Assert.NotEqual(Digest.Compute(bytes), manifest.Digest);
        Assert.NotEqual(await TestImages.ManifestDigestAsync(pushed), manifest.Digest.ToString());
    }

    [Fact]
    public async Task Inspect_Schema1_TakesLayersFromFsLayersAndMetadataFromTheNewestHistory()
    {
        await using var peer = await RegistryWithImages.StartAsync();
        // The history entry of the config change becomes a throwaway layer in schema 1: two layers to order.
        var pushed = await peer.PushImageAsync("team/old:v1", TestImageFormat.DockerV2S2, RegistryWithImages.AppSpec() with { RecordHistory = true });
        var schema2 = Assert.IsType<Schema2Manifest>(ManifestParser.Parse(await TestImages.RawManifestAsync(pushed), MediaTypes.DockerManifest));
        var (bytes, contentType, digest) = await Schema1Async(peer, "team/old", "v1");
        await using var server = await ScriptedHttpServer.StartAsync(upstream: peer.Registry.BaseUri);
        server.Script("GET", "/v2/team/old/manifests/v1", ScriptedResponse.Bytes(bytes, contentType, new Dictionary<string, string> { ["Docker-Content-Digest"] = digest.ToString() }));
        using var client = TestClients.Create();

        var inspection = await new ImageInspector(client).InspectAsync(new ImageInspectionRequest(ImageReference.Parse($"{server.Authority}/team/old:v1")));

        var image = inspection.Image;
        Assert.Equal(digest.ToString(), image.Metadata.Name);
        Assert.Equal(MediaTypes.DockerSchema1Signed, image.DockerImageManifestMediaType);
        var realLayer = schema2.Layers.Single();
        var layers = image.DockerImageLayers!;
        var fsLayers = Assert.IsType<Schema1Manifest>(ManifestParser.Parse(bytes, contentType)).FsLayers;
        Assert.Equal(2, fsLayers.Count);
        Assert.Equal(fsLayers.Reverse().Select(d => d.ToString()), layers.Select(l => l.Name));
        Assert.Equal(realLayer.Digest.ToString(), layers[0].Name);
        Assert.Equal(realLayer.Size, layers[0].Size);
        Assert.All(layers, l => Assert.Equal(MediaTypes.DockerSchema1Layer, l.MediaType));
        Assert.True(layers[1].Size > 0);
        var metadata = image.DockerImageMetadata!;
        Assert.Equal(digest.ToString(), metadata.Id);
        Assert.Equal("amd64", metadata.Architecture);
        Assert.Equal("app", metadata.Config!.Labels!["io.example.name"]);
        Assert.Equal(["/bin/sh", "-c", "echo hello"], metadata.Config.Cmd);
        Assert.Equal(new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.Zero), metadata.Created);
        Assert.Equal(layers.Sum(l => l.Size), metadata.Size);
        Assert.Equal(2, server.Requests.Count(r => r.Method == "HEAD" && r.Path.Contains("/blobs/", StringComparison.Ordinal)));
    }

    private static async Task<(byte[] Bytes, string ContentType, Digest Digest)> Schema1Async(RegistryWithImages peer, string repository, string tag)
    {
        using var http = new HttpClient();
        using var response = await http.GetAsync(new Uri(peer.Registry.BaseUri, $"v2/{repository}/manifests/{tag}"));
        response.EnsureSuccessStatusCode();
        return (
            await response.Content.ReadAsByteArrayAsync(),
            response.Content.Headers.ContentType!.ToString(),
            Digest.Parse(response.Headers.GetValues("Docker-Content-Digest").Single()));
    }
}
