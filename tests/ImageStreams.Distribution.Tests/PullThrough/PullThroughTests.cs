using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ImageStreams.Distribution.Tests.Support;
using ImageStreams.Testing.Processes;
using ImageStreams.Testing.Registry;
using static ImageStreams.Distribution.Tests.Api.UploadTests;

namespace ImageStreams.Distribution.Tests.PullThrough;

/// <summary>
/// Images imported from Debian's docker-registry are pulled from ours: fetched from the source on the first pull, served
/// from our store afterwards, even with the source gone.
/// </summary>
public sealed class PullThroughTests : IAsyncLifetime
{
    private readonly TestImages images = new();
    private readonly TempDirectory pulled = new("registry-pull-through");
    private RegistryServer server = null!;

    public async Task InitializeAsync() => server = await RegistryServer.StartAsync();

    public async Task DisposeAsync()
    {
        await server.DisposeAsync();
        images.Dispose();
        pulled.Dispose();
    }

    [Fact]
    public async Task AnImageImportedWithLocalReferencePolicy_PullsThroughOurRegistry_AndStillPullsWithTheSourceStopped()
    {
        var upstream = await DockerRegistryPeer.StartAsync();
        var digest = await images.BuildAsync("app", new TestImageSpec { Labels = new Dictionary<string, string> { ["from"] = "upstream" } });
        await images.PushAsync("app", $"{upstream.Host}/team/app:v1");
        var ns = await server.NewNamespaceAsync();

        var import = await ImportAsync(ns, "app", $"{upstream.Host}/team/app:v1", "v1", "Local");
        var first = await Skopeo.PullAsync($"{server.Host}/{ns}/app:v1", pulled.Combine("first"), server.Credentials);
        await upstream.DisposeAsync();
        var second = await Skopeo.PullAsync($"{server.Host}/{ns}/app:v1", pulled.Combine("second"), server.Credentials);
        var inspected = await Skopeo.InspectAsync($"{server.Host}/{ns}/app:v1", server.Credentials);

        Assert.Equal(digest, (string?)import["status"]!["images"]![0]!["image"]!["metadata"]!["name"]);
        Assert.Equal(digest, RegistryServer.DigestOf(await File.ReadAllBytesAsync(pulled.Combine("first", "manifest.json"))));
        Assert.Equal(digest, RegistryServer.DigestOf(await File.ReadAllBytesAsync(pulled.Combine("second", "manifest.json"))));
        Assert.Equal(first.ToJsonString(), second.ToJsonString());
        Assert.Equal("upstream", (string?)inspected["Labels"]!["from"]);
        // The pulled image keeps pointing at its source: pulling through does not rewrite history.
        var item = (await server.GetStreamAsync(ns, "app"))!["status"]!["tags"]![0]!["items"]!.AsArray().Single()!;
        Assert.StartsWith($"{upstream.Host}/team/app@", (string?)item["dockerImageReference"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMultiArchImageImportedWhole_PullsThroughWithEveryChild()
    {
        await using var upstream = await DockerRegistryPeer.StartAsync();
        await images.BuildAsync("amd64", new TestImageSpec { Architecture = "amd64" });
        await images.BuildAsync("arm64", new TestImageSpec { Architecture = "arm64" });
        var index = await images.BuildIndexAsync("multi", new TestIndexChild("amd64", "linux", "amd64"), new TestIndexChild("arm64", "linux", "arm64"));
        await images.PushAsync("multi", $"{upstream.Host}/team/multi:latest", all: true);
        var ns = await server.NewNamespaceAsync();

        await ImportAsync(ns, "multi", $"{upstream.Host}/team/multi:latest", "latest", "Local", importMode: "PreserveOriginal");
        var copied = await Skopeo.PullAsync($"{server.Host}/{ns}/multi:latest", pulled.Path, server.Credentials, all: true);

        Assert.Equal(index, RegistryServer.DigestOf(await File.ReadAllBytesAsync(pulled.Combine("manifest.json"))));
        Assert.Equal(2, copied["manifests"]!.AsArray().Count);
    }

    [Fact]
    public async Task WithSourceReferencePolicy_ADigestOfTheHistoryPullsThrough_ButADigestTheHistoryDoesNotNameIsNeverFetched()
    {
        await using var upstream = await DockerRegistryPeer.StartAsync();
        var imported = await images.BuildAsync("imported", new TestImageSpec { Labels = new Dictionary<string, string> { ["n"] = "1" } });
        var other = await images.BuildAsync("other", new TestImageSpec { Labels = new Dictionary<string, string> { ["n"] = "2" } });
        await images.PushAsync("imported", $"{upstream.Host}/team/app:v1");
        await images.PushAsync("other", $"{upstream.Host}/team/app:v2");
        var ns = await server.NewNamespaceAsync();

        await ImportAsync(ns, "app", $"{upstream.Host}/team/app:v1", "v1", "Source");
        await Skopeo.PullAsync($"{server.Host}/{ns}/app@{imported}", pulled.Path, server.Credentials);
        using var notInHistory = await server.SendAsync(HttpMethod.Get, $"/v2/{ns}/app/manifests/{other}");

        Assert.Equal(imported, RegistryServer.DigestOf(await File.ReadAllBytesAsync(pulled.Combine("manifest.json"))));
        Assert.Equal(HttpStatusCode.NotFound, notInHistory.StatusCode);
        Assert.Equal("MANIFEST_UNKNOWN", await Code(notInHistory));
    }

    [Fact]
    public async Task ASourceBehindBasicAuth_IsPulledThroughWithTheNamespacesPullSecret()
    {
        await using var upstream = await DockerRegistryPeer.StartWithBasicAuthAsync("puller", "s3cret");
        var digest = await images.BuildAsync("private", new TestImageSpec());
        await images.PushAsync("private", $"{upstream.Host}/team/private:v1", credentials: "puller:s3cret");
        var ns = await server.NewNamespaceAsync();
        var auth = Convert.ToBase64String(Encoding.UTF8.GetBytes("puller:s3cret"));
        var config = new JsonObject { ["auths"] = new JsonObject { [upstream.Host] = new JsonObject { ["auth"] = auth } } }.ToJsonString();
        var (status, _) = await server.PostJsonAsync($"/api/v1/namespaces/{ns}/secrets", new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "pull" },
            ["type"] = "kubernetes.io/dockerconfigjson",
            ["data"] = new JsonObject { [".dockerconfigjson"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(config)) },
        });
        Assert.Equal(HttpStatusCode.Created, status);

        await ImportAsync(ns, "private", $"{upstream.Host}/team/private:v1", "v1", "Local");
        await Skopeo.PullAsync($"{server.Host}/{ns}/private:v1", pulled.Path, server.Credentials);

        Assert.Equal(digest, RegistryServer.DigestOf(await File.ReadAllBytesAsync(pulled.Combine("manifest.json"))));
    }

    private async Task<JsonNode> ImportAsync(string ns, string stream, string from, string tag, string referencePolicy, string? importMode = null)
    {
        var (status, body) = await server.PostJsonAsync($"/apis/image.openshift.io/v1/namespaces/{ns}/imagestreamimports", new JsonObject
        {
            ["apiVersion"] = "image.openshift.io/v1",
            ["kind"] = "ImageStreamImport",
            ["metadata"] = new JsonObject { ["name"] = stream },
            ["spec"] = new JsonObject
            {
                ["import"] = true,
                ["images"] = new JsonArray(new JsonObject
                {
                    ["from"] = new JsonObject { ["kind"] = "DockerImage", ["name"] = from },
                    ["to"] = new JsonObject { ["name"] = tag },
                    ["referencePolicy"] = new JsonObject { ["type"] = referencePolicy },
                    ["importPolicy"] = importMode is null ? new JsonObject() : new JsonObject { ["importMode"] = importMode },
                }),
            },
        });
        Assert.True(status == HttpStatusCode.Created, body?.ToJsonString());
        Assert.Equal("Success", (string?)body!["status"]!["images"]![0]!["status"]!["status"]);
        return body;
    }
}
