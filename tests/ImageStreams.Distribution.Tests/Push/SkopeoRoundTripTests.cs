using System.Security.Cryptography;
using ImageStreams.Distribution.Tests.Support;
using ImageStreams.Testing.Processes;
using ImageStreams.Testing.Registry;

namespace ImageStreams.Distribution.Tests.Push;

/// <summary>The must-show with real clients: skopeo pushes into HOST/ns/stream:tag and copies back out.</summary>
public sealed class SkopeoRoundTripTests(RegistryServerFixture fixture) : IClassFixture<RegistryServerFixture>, IDisposable
{
    private readonly RegistryServer server = fixture.Server;
    private readonly TestImages images = new();
    private readonly TempDirectory pulled = new("registry-pulled");

    private static TestImageSpec Spec(string architecture = "amd64", string release = "1") => new()
    {
        Architecture = architecture,
        Labels = new Dictionary<string, string> { ["io.example.release"] = release },
        Cmd = ["/bin/sh", "-c", "echo hello"],
        Env = ["PATH=/bin"],
        ExposedPorts = ["8080/tcp"],
        WorkingDir = "/work",
        Author = "tests@example.com",
    };

    public void Dispose()
    {
        images.Dispose();
        pulled.Dispose();
    }

    [Fact]
    public async Task PushingAnOciImage_CreatesAManagedImage_AndTheTag_AndItCopiesBackByteForByte()
    {
        var ns = await server.NewNamespaceAsync();
        var digest = await images.BuildAsync("app", Spec());
        var reference = $"{server.Host}/{ns}/app:v1";

        await images.PushAsync("app", reference, credentials: server.Credentials);

        var stream = await server.GetStreamAsync(ns, "app");
        Assert.Equal($"{server.Host}/{ns}/app", (string?)stream!["status"]!["dockerImageRepository"]);
        var item = stream["status"]!["tags"]![0]!["items"]![0]!;
        Assert.Equal("v1", (string?)stream["status"]!["tags"]![0]!["tag"]);
        Assert.Equal(digest, (string?)item["image"]);
        Assert.Equal($"{server.Host}/{ns}/app@{digest}", (string?)item["dockerImageReference"]);
        Assert.Equal(1, (long)item["generation"]!);

        var image = await server.GetImageAsync(digest);
        Assert.Equal("true", (string?)image!["metadata"]!["annotations"]!["openshift.io/image.managed"]);
        Assert.Equal($"{server.Host}/{ns}/app@{digest}", (string?)image["dockerImageReference"]);
        Assert.Equal(TestContent.OciManifest, (string?)image["dockerImageManifestMediaType"]);
        Assert.Equal("amd64", (string?)image["dockerImageMetadata"]!["Architecture"]);
        Assert.Equal("1", (string?)image["dockerImageMetadata"]!["Config"]!["Labels"]!["io.example.release"]);
        Assert.Equal("/work", (string?)image["dockerImageMetadata"]!["Config"]!["WorkingDir"]);
        Assert.Equal("tests@example.com", (string?)image["dockerImageMetadata"]!["Author"]);
        Assert.Single(image["dockerImageLayers"]!.AsArray());

        var manifest = await Skopeo.PullAsync(reference, pulled.Path, server.Credentials);
        var manifestBytes = await File.ReadAllBytesAsync(pulled.Combine("manifest.json"));
        Assert.Equal(digest, RegistryServer.DigestOf(manifestBytes));
        foreach (var layer in manifest["layers"]!.AsArray().Append(manifest["config"]))
        {
            var blob = (string)layer!["digest"]!;
            var bytes = await File.ReadAllBytesAsync(pulled.Combine(blob["sha256:".Length..]));
            Assert.Equal(blob, "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes)));
        }
        var inspected = await Skopeo.InspectAsync(reference, server.Credentials);
        Assert.Equal(digest, (string?)inspected["Digest"]);
        Assert.Equal("1", (string?)inspected["Labels"]!["io.example.release"]);
        Assert.Contains("v1", inspected["RepoTags"]!.AsArray().Select(t => (string?)t));
    }

    [Fact]
    public async Task PushingADockerSchema2Image_KeepsItsMediaType_AndSkopeoReadsItBack()
    {
        var ns = await server.NewNamespaceAsync();
        await images.BuildAsync("docker", Spec(release: "docker"));
        var reference = $"{server.Host}/{ns}/legacy:latest";

        await images.PushAsync("docker", reference, TestImageFormat.DockerV2S2, credentials: server.Credentials);

        var raw = await Skopeo.InspectAsync(reference, server.Credentials, raw: true);
        Assert.Equal(TestContent.DockerManifest, (string?)raw["mediaType"]);
        var digest = await TestImages.ManifestDigestAsync(reference, server.Credentials);
        var stream = await server.GetStreamAsync(ns, "legacy");
        Assert.Equal(digest, (string?)stream!["status"]!["tags"]![0]!["items"]![0]!["image"]);
        var image = await server.GetImageAsync(digest);
        Assert.Equal(TestContent.DockerManifest, (string?)image!["dockerImageManifestMediaType"]);
        Assert.Equal("docker", (string?)image["dockerImageMetadata"]!["Config"]!["Labels"]!["io.example.release"]);
        var manifest = await Skopeo.PullAsync(reference, pulled.Path, server.Credentials);
        Assert.Equal(TestContent.DockerManifest, (string?)manifest["mediaType"]);
    }

    [Fact]
    public async Task PushingAMultiArchIndex_TagsTheIndex_RecordsItsChildren_AndCopiesBackWithEveryChild()
    {
        var ns = await server.NewNamespaceAsync();
        var amd64 = await images.BuildAsync("amd64", Spec("amd64"));
        var arm64 = await images.BuildAsync("arm64", Spec("arm64"));
        var index = await images.BuildIndexAsync("multi", new TestIndexChild("amd64", "linux", "amd64"), new TestIndexChild("arm64", "linux", "arm64", "v8"));
        var reference = $"{server.Host}/{ns}/multi:latest";

        await images.PushAsync("multi", reference, all: true, credentials: server.Credentials);

        var stream = await server.GetStreamAsync(ns, "multi");
        var items = stream!["status"]!["tags"]![0]!["items"]!.AsArray();
        Assert.Equal(index, (string?)Assert.Single(items)!["image"]);
        var listImage = await server.GetImageAsync(index);
        Assert.Equal(TestContent.OciIndex, (string?)listImage!["dockerImageManifestMediaType"]);
        Assert.Equal(new[] { amd64, arm64 }, listImage["dockerImageManifests"]!.AsArray().Select(m => (string)m!["digest"]!));
        Assert.Equal("arm64", (string?)listImage["dockerImageManifests"]![1]!["architecture"]);
        // Children pushed by digest are images of their own, but not tags.
        Assert.Equal("arm64", (string?)(await server.GetImageAsync(arm64))!["dockerImageMetadata"]!["Architecture"]);

        var raw = await Skopeo.InspectAsync(reference, server.Credentials, raw: true);
        Assert.Equal(TestContent.OciIndex, (string?)raw["mediaType"]);
        var copied = await Skopeo.PullAsync(reference, pulled.Path, server.Credentials, all: true);
        Assert.Equal(2, copied["manifests"]!.AsArray().Count);
        using var single = new TempDirectory("registry-pulled-single");
        var chosen = await Skopeo.PullAsync(reference, single.Path, server.Credentials);
        // skopeo picks its own platform's child: a single image with a config.
        Assert.Equal(amd64, RegistryServer.DigestOf(await File.ReadAllBytesAsync(single.Combine("manifest.json"))));
        Assert.NotNull(chosen["config"]);
    }

    [Fact]
    public async Task ASecondPushOfATag_WithNewContent_PrependsHistory_ThatDescribeShows_AndTheSameContentAgainAddsNothing()
    {
        var ns = await server.NewNamespaceAsync();
        var first = await images.BuildAsync("first", Spec(release: "1"));
        var second = await images.BuildAsync("second", Spec(release: "2"));
        var reference = $"{server.Host}/{ns}/app:latest";

        await images.PushAsync("first", reference, credentials: server.Credentials);
        await images.PushAsync("second", reference, credentials: server.Credentials);
        await images.PushAsync("second", reference, credentials: server.Credentials);

        var items = (await server.GetStreamAsync(ns, "app"))!["status"]!["tags"]![0]!["items"]!.AsArray();
        Assert.Equal(new[] { second, first }, items.Select(i => (string)i!["image"]!));
        var described = await Isctl.RunAsync(server, "-n", ns, "describe", "is", "app");
        Assert.Contains($"Image Repository:\t{server.Host}/{ns}/app", described);
        Assert.Contains($"* {server.Host}/{ns}/app@{second}", described);
        Assert.Contains($"{server.Host}/{ns}/app@{first}", described);
        Assert.True(described.IndexOf(second, StringComparison.Ordinal) < described.IndexOf(first, StringComparison.Ordinal), described);
        var listed = await Isctl.RunAsync(server, "get", "images");
        Assert.Contains(second, listed);
    }

    [Fact]
    public async Task PushingByDigestOnly_CreatesTheImage_ButNoTag()
    {
        var ns = await server.NewNamespaceAsync();
        var digest = await images.BuildAsync("bydigest", Spec(release: "digest"));

        await images.PushAsync("bydigest", $"{server.Host}/{ns}/pinned@{digest}", credentials: server.Credentials);

        Assert.NotNull(await server.GetImageAsync(digest));
        Assert.Null(await server.GetStreamAsync(ns, "pinned"));
        await Skopeo.PullAsync($"{server.Host}/{ns}/pinned@{digest}", pulled.Path, server.Credentials);
        Assert.Equal(digest, RegistryServer.DigestOf(await File.ReadAllBytesAsync(pulled.Combine("manifest.json"))));
    }
}
