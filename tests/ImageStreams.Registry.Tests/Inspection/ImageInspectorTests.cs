using System.Text.Json.Nodes;
using ImageStreams.Model.Image;
using ImageStreams.Registry.Client;
using ImageStreams.Registry.Errors;
using ImageStreams.Registry.Inspection;
using ImageStreams.Registry.Manifests;
using ImageStreams.Registry.References;
using ImageStreams.Testing.Http;
using ImageStreams.Testing.Registry;
using static ImageStreams.Registry.Tests.ScriptedFixtures;

namespace ImageStreams.Registry.Tests.Inspection;

public class ImageInspectorTests
{
    private static readonly DateTimeOffset Amd64Created = new(2024, 5, 6, 7, 8, 9, TimeSpan.Zero);
    private static readonly DateTimeOffset Arm64Created = new(2024, 9, 9, 9, 9, 9, TimeSpan.Zero);

    [Theory]
    [InlineData(TestImageFormat.Oci, MediaTypes.OciManifest, MediaTypes.OciLayer)]
    [InlineData(TestImageFormat.DockerV2S2, MediaTypes.DockerManifest, MediaTypes.DockerLayer)]
    public async Task Inspect_SingleImage_FillsTheImageAsOpenShiftDoes(TestImageFormat format, string mediaType, string layerMediaType)
    {
        await using var peer = await RegistryWithImages.StartAsync();
        var pushed = await peer.PushImageAsync("team/app:v1", format);
        var raw = JsonNode.Parse(await TestImages.RawManifestAsync(pushed))!;
        var digest = await TestImages.ManifestDigestAsync(pushed);
        using var client = TestClients.Create();

        var inspection = await new ImageInspector(client).InspectAsync(new ImageInspectionRequest(ImageReference.Parse(pushed)));

        var image = inspection.Image;
        Assert.Equal(digest, inspection.Manifest.Digest.ToString());
        Assert.Equal(mediaType, inspection.Manifest.MediaType);
        Assert.Same(image, Assert.Single(inspection.Images));
        Assert.Equal(digest, image.Metadata.Name);
        Assert.Equal(digest, inspection.ImageDigest.ToString());
        Assert.Equal($"{peer.Registry.Host}/team/app@{digest}", image.DockerImageReference);
        Assert.Equal("1.0", image.DockerImageMetadataVersion);
        Assert.Equal(mediaType, image.DockerImageManifestMediaType);
        Assert.Equal(ImageApi.LayersOrderAscending, image.Metadata.Annotation(ImageApi.DockerLayersOrderAnnotation));
        Assert.Null(image.DockerImageManifests);
        Assert.Null(image.DockerImageManifest);

        var configDigest = raw["config"]!["digest"]!.GetValue<string>();
        var configSize = raw["config"]!["size"]!.GetValue<long>();
        var layer = Assert.Single(image.DockerImageLayers!);
        Assert.Equal(raw["layers"]![0]!["digest"]!.GetValue<string>(), layer.Name);
        Assert.Equal(raw["layers"]![0]!["size"]!.GetValue<long>(), layer.Size);
        Assert.Equal(layerMediaType, layer.MediaType);
        Assert.Equal(configDigest, Digest.Compute(System.Text.Encoding.UTF8.GetBytes(image.DockerImageConfig!)).ToString());

        var metadata = image.DockerImageMetadata!;
        Assert.Equal(configDigest, metadata.Id);
        Assert.Equal(layer.Size + configSize, metadata.Size);
        Assert.Equal(Amd64Created, metadata.Created);
        Assert.Equal("tests@example.com", metadata.Author);
        Assert.Equal("amd64", metadata.Architecture);
        Assert.Equal("linux", metadata.Os);
        var config = metadata.Config!;
        Assert.Equal(["/bin/sh", "-c", "echo hello"], config.Cmd);
        Assert.Equal(["/bin/busybox"], config.Entrypoint);
        Assert.Contains("GREETING=hi", config.Env!);
        Assert.Equal("app", config.Labels!["io.example.name"]);
        Assert.Equal("/work", config.WorkingDir);
        Assert.Equal("1001", config.User);
        Assert.Equal(["8080/tcp"], config.ExposedPorts!.Keys);
    }

    [Theory]
    [InlineData(TestImageFormat.Oci, MediaTypes.OciIndex, MediaTypes.OciManifest)]
    [InlineData(TestImageFormat.DockerV2S2, MediaTypes.DockerManifestList, MediaTypes.DockerManifest)]
    public async Task Inspect_ListInLegacyMode_RecordsTheLinuxAmd64ChildByDefault(TestImageFormat format, string listType, string childType)
    {
        await using var peer = await RegistryWithImages.StartAsync();
        var pushed = await peer.PushMultiArchAsync("team/multi:v1", format);
        var children = await ChildDigestsAsync(pushed);
        using var client = TestClients.Create();

        var inspection = await new ImageInspector(client).InspectAsync(new ImageInspectionRequest(ImageReference.Parse(pushed)));

        Assert.Equal(await TestImages.ManifestDigestAsync(pushed), inspection.Manifest.Digest.ToString());
        Assert.Equal(listType, inspection.Manifest.MediaType);
        Assert.Equal(Platform.LinuxAmd64, inspection.Platform);
        var image = Assert.Single(inspection.Images);
        Assert.Equal(children["amd64"], image.Metadata.Name);
        Assert.Equal($"{peer.Registry.Host}/team/multi@{children["amd64"]}", image.DockerImageReference);
        Assert.Equal(childType, image.DockerImageManifestMediaType);
        Assert.Equal("amd64", image.DockerImageMetadata!.Architecture);
        Assert.Equal("amd64", image.DockerImageMetadata.Config!.Labels!["arch"]);
        Assert.NotEmpty(image.DockerImageLayers!);
    }

    [Fact]
    public async Task Inspect_ListInLegacyMode_PreferredArm64PicksTheArm64Child()
    {
        await using var peer = await RegistryWithImages.StartAsync();
        var pushed = await peer.PushMultiArchAsync("team/multi:v1");
        var children = await ChildDigestsAsync(pushed);
        using var client = TestClients.Create();

        var inspection = await new ImageInspector(client).InspectAsync(new ImageInspectionRequest(ImageReference.Parse(pushed))
        {
            PreferredPlatform = PlatformSelector.Preferred("arm64", null),
        });

        Assert.Equal(children["arm64"], inspection.Image.Metadata.Name);
        Assert.Equal(new Platform("linux", "arm64", "v8"), inspection.Platform);
        Assert.Equal("arm64", inspection.Image.DockerImageMetadata!.Config!.Labels!["arch"]);
        Assert.Equal(Arm64Created, inspection.Image.DockerImageMetadata.Created);
    }

    [Fact]
    public async Task Inspect_ListInLegacyMode_UsesTheConfiguredDefaultPlatformWithoutPreference()
    {
        await using var peer = await RegistryWithImages.StartAsync();
        var pushed = await peer.PushMultiArchAsync("team/multi:v1", TestImageFormat.DockerV2S2);
        var children = await ChildDigestsAsync(pushed);
        using var client = TestClients.Create();
        var inspector = new ImageInspector(client, new ImageInspectorOptions { DefaultPlatform = Platform.Parse("linux/arm64") });

        var inspection = await inspector.InspectAsync(new ImageInspectionRequest(ImageReference.Parse(pushed)));

        Assert.Equal(children["arm64"], inspection.Image.Metadata.Name);
    }

    [Theory]
    [InlineData(TestImageFormat.Oci, MediaTypes.OciIndex)]
    [InlineData(TestImageFormat.DockerV2S2, MediaTypes.DockerManifestList)]
    public async Task Inspect_ListPreservingTheOriginal_RecordsTheListAndEveryChild(TestImageFormat format, string listType)
    {
        await using var peer = await RegistryWithImages.StartAsync();
        var pushed = await peer.PushMultiArchAsync("team/multi:v1", format);
        var listDigest = await TestImages.ManifestDigestAsync(pushed);
        var raw = JsonNode.Parse(await TestImages.RawManifestAsync(pushed))!["manifests"]!.AsArray();
        using var client = TestClients.Create();

        var inspection = await new ImageInspector(client).InspectAsync(new ImageInspectionRequest(ImageReference.Parse(pushed))
        {
            ImportMode = ImportMode.PreserveOriginal,
        });

        var list = inspection.Image;
        Assert.Equal(listDigest, list.Metadata.Name);
        Assert.Equal($"{peer.Registry.Host}/team/multi@{listDigest}", list.DockerImageReference);
        Assert.Equal(listType, list.DockerImageManifestMediaType);
        Assert.Null(list.DockerImageLayers);
        Assert.Null(list.DockerImageConfig);
        Assert.Null(list.Metadata.Annotations);
        Assert.Equal(Amd64Created, list.DockerImageMetadata!.Created);
        Assert.Equal(
            raw.Select(m => $"{m!["digest"]} {m["mediaType"]} {m["size"]} {m["platform"]!["os"]}/{m["platform"]!["architecture"]}/{m["platform"]!["variant"]}"),
            list.DockerImageManifests!.Select(m => $"{m.Digest} {m.MediaType} {m.ManifestSize} {m.Os}/{m.Architecture}/{m.Variant}"));
        Assert.Equal([listDigest, .. raw.Select(m => m!["digest"]!.GetValue<string>())], inspection.Images.Select(i => i.Metadata.Name));
        Assert.All(inspection.Images.Skip(1), child => Assert.NotEmpty(child.DockerImageLayers!));
        Assert.Equal(["amd64", "arm64"], inspection.Images.Skip(1).Select(i => i.DockerImageMetadata!.Architecture));
    }

    [Fact]
    public async Task Inspect_ListPreservingTheOriginal_CreatedFollowsThePreferredChildNotTheClock()
    {
        await using var peer = await RegistryWithImages.StartAsync();
        var pushed = await peer.PushMultiArchAsync("team/multi:v1");
        using var client = TestClients.Create();
        var request = new ImageInspectionRequest(ImageReference.Parse(pushed))
        {
            ImportMode = ImportMode.PreserveOriginal,
            PreferredPlatform = new Platform("linux", "arm64"),
        };

        var first = await new ImageInspector(client).InspectAsync(request);
        var second = await new ImageInspector(client).InspectAsync(request);

        Assert.Equal(Arm64Created, first.Image.DockerImageMetadata!.Created);
        Assert.Equal(first.Image.DockerImageMetadata, second.Image.DockerImageMetadata);
    }

    [Fact]
    public async Task HeadAsync_OfAList_IsTheDigestTheInspectionRecordsAsTheManifest()
    {
        await using var peer = await RegistryWithImages.StartAsync();
        var pushed = ImageReference.Parse(await peer.PushMultiArchAsync("team/multi:v1"));
        using var client = TestClients.Create();
        var inspector = new ImageInspector(client);

        var head = await inspector.HeadAsync(pushed, RegistryAccess.Anonymous);
        var inspection = await inspector.InspectAsync(new ImageInspectionRequest(pushed));

        Assert.Equal(inspection.Manifest.Digest, head.Digest);
        Assert.NotEqual(inspection.ImageDigest, head.Digest);
    }

    [Fact]
    public async Task Inspect_WithIncludeManifest_KeepsTheRawManifest()
    {
        await using var peer = await RegistryWithImages.StartAsync();
        var pushed = await peer.PushImageAsync("team/app:v1");
        using var client = TestClients.Create();

        var inspection = await new ImageInspector(client).InspectAsync(new ImageInspectionRequest(ImageReference.Parse(pushed)) { IncludeManifest = true });

        Assert.Equal(System.Text.Encoding.UTF8.GetString(await TestImages.RawManifestAsync(pushed)), inspection.Image.DockerImageManifest);
    }

    [Fact]
    public async Task ListTagsAsync_ListsTheRepository()
    {
        await using var peer = await RegistryWithImages.StartAsync();
        await peer.PushImageAsync("team/app:v1");
        await peer.PushImageAsync("team/app:v2");
        using var client = TestClients.Create();

        var tags = await new ImageInspector(client).ListTagsAsync(ImageReference.Parse($"{peer.Registry.Host}/team/app"), RegistryAccess.Anonymous);

        Assert.Equal(["v1", "v2"], tags.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Inspect_ConfigWithNanosecondTimestamp_ReadsCreated()
    {
        await using var server = await ScriptedHttpServer.StartAsync();
        server.Script("GET", ManifestPath, Manifest(OciManifest()));
        server.Script("GET", $"/v2/team/app/blobs/{Digest.Compute(Config)}", ScriptedResponse.Bytes(Config, "application/octet-stream"));
        using var client = TestClients.Create();

        var inspection = await new ImageInspector(client).InspectAsync(new ImageInspectionRequest(Reference(server)));

        Assert.Equal(new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero).AddTicks(1234568), inspection.Image.DockerImageMetadata!.Created);
        Assert.Equal(1234 + Config.Length, inspection.Image.DockerImageMetadata.Size);
    }

    [Fact]
    public async Task Inspect_ArtifactWhoseConfigIsNoImageConfig_IsUnsupported()
    {
        await using var server = await ScriptedHttpServer.StartAsync();
        server.Script("GET", ManifestPath, Manifest(OciManifest(configMediaType: "application/vnd.cncf.helm.config.v1+json")));
        using var client = TestClients.Create();

        var error = await TestClients.FailsWith(RegistryErrorReason.UnsupportedManifest,
            () => new ImageInspector(client).InspectAsync(new ImageInspectionRequest(Reference(server))));

        Assert.Contains("application/vnd.cncf.helm.config.v1+json", error.Message);
    }

    [Fact]
    public async Task Inspect_ConfigThatIsNotJson_IsAnInvalidResponse()
    {
        await using var server = await ScriptedHttpServer.StartAsync();
        var garbage = "\u0001\u0002not json"u8.ToArray();
        server.Script("GET", ManifestPath, Manifest(OciManifest(config: garbage)));
        server.Script("GET", $"/v2/team/app/blobs/{Digest.Compute(garbage)}", ScriptedResponse.Bytes(garbage, "application/octet-stream"));
        using var client = TestClients.Create();

        var error = await TestClients.FailsWith(RegistryErrorReason.InvalidResponse,
            () => new ImageInspector(client).InspectAsync(new ImageInspectionRequest(Reference(server))));

        Assert.Contains("the image config is not valid", error.Message);
    }

    private static async Task<Dictionary<string, string>> ChildDigestsAsync(string reference) =>
        JsonNode.Parse(await TestImages.RawManifestAsync(reference))!["manifests"]!.AsArray()
            .ToDictionary(m => m!["platform"]!["architecture"]!.GetValue<string>(), m => m!["digest"]!.GetValue<string>());
}
