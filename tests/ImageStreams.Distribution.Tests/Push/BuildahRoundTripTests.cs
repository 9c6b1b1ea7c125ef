using ImageStreams.Distribution.Tests.Support;
using ImageStreams.Testing.Processes;
using ImageStreams.Testing.Registry;

namespace ImageStreams.Distribution.Tests.Push;

/// <summary>The buildah round trip: buildah push into a stream tag, and buildah pull back, with private storage.</summary>
public sealed class BuildahRoundTripTests(RegistryServerFixture fixture) : IClassFixture<RegistryServerFixture>, IDisposable
{
    private readonly RegistryServer server = fixture.Server;
    private readonly TestImages images = new();
    private readonly TempDirectory storage = new("registry-buildah");

    // buildah names an image pulled from a layout after its path, and image names must be lowercase.
    private readonly string layout = Path.Combine(Path.GetTempPath(), "registry-buildah-layout-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        File.Delete(layout);
        images.Dispose();
        storage.Dispose();
    }

    [Fact]
    public async Task BuildahPushesAnImageIntoAStreamTag_AndPullsItBack()
    {
        var ns = await server.NewNamespaceAsync();
        await images.BuildAsync("built", new TestImageSpec { Labels = new Dictionary<string, string> { ["built-by"] = "buildah-test" } });
        var reference = $"{server.Host}/{ns}/built:v1";
        Directory.CreateSymbolicLink(layout, images.LayoutPath);
        var id = (await BuildahAsync("pull", $"oci:{layout}:built")).Trim().Split('\n')[^1];

        await BuildahAsync("push", "--tls-verify=false", "--creds", server.Credentials, id, $"docker://{reference}");
        await BuildahAsync("rmi", "--all");
        await BuildahAsync("pull", "--tls-verify=false", "--creds", server.Credentials, $"docker://{reference}");
        var labels = await BuildahAsync("inspect", "--format", "{{index .OCIv1.Config.Labels \"built-by\"}}", reference);

        Assert.Equal("buildah-test", labels.Trim());
        var stream = await server.GetStreamAsync(ns, "built");
        var image = (string)stream!["status"]!["tags"]![0]!["items"]![0]!["image"]!;
        Assert.Equal(image, await TestImages.ManifestDigestAsync(reference, server.Credentials));
        Assert.Equal("true", (string?)(await server.GetImageAsync(image))!["metadata"]!["annotations"]!["openshift.io/image.managed"]);
    }

    private async Task<string> BuildahAsync(params string[] arguments)
    {
        var result = await ProcessRunner.RunCheckedAsync("buildah",
            ["--root", storage.Combine("root"), "--runroot", storage.Combine("run"), "--storage-driver", "vfs", .. arguments]);
        return result.StandardOutput;
    }
}
