using System.Net;
using System.Text.Json.Nodes;
using ImageStreams.Server.Tests.Support;
using ImageStreams.Testing.Http;
using static ImageStreams.Server.Tests.Support.Documents;

namespace ImageStreams.Server.Tests.Api;

public class ImportPolicyTests
{
    private static JsonObject Import(string name, string from, bool insecure = false) => new()
    {
        ["apiVersion"] = "image.openshift.io/v1",
        ["kind"] = "ImageStreamImport",
        ["metadata"] = new JsonObject { ["name"] = name },
        ["spec"] = new JsonObject
        {
            ["import"] = true,
            ["images"] = new JsonArray(new JsonObject
            {
                ["from"] = new JsonObject { ["kind"] = "DockerImage", ["name"] = from },
                ["to"] = new JsonObject { ["name"] = "latest" },
                ["importPolicy"] = new JsonObject { ["insecure"] = insecure },
            }),
        },
    };

    [Fact]
    public async Task ImportFromABlockedRegistry_IsForbidden_AndASpecTagFromIt_GetsAForbiddenCondition()
    {
        await using var upstream = await ScriptedHttpServer.StartAsync();
        await using var server = await TestServer.StartAsync(new ServerOptions { BlockedRegistries = $"quay.io/bad,{upstream.Authority}" });

        var refused = await server.PostAsync("/apis/image.openshift.io/v1/namespaces/default/imagestreamimports", Import("app", $"{upstream.Authority}/team/app:v1"));
        var created = await server.PostAsync(StreamsPath("default"), Stream("tracked", ("latest", $"{upstream.Authority}/team/app:v1")));
        var condition = await WaitForConditionAsync(server, "tracked");

        Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
        Assert.Equal("Status", refused["kind"]);
        Assert.Equal("Forbidden", refused["reason"]);
        Assert.Contains($"registry \"{upstream.Authority}\" is blocked by the server's import policy", refused["message"], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await server.GetAsync(StreamsPath("default") + "/app")).Status);
        Assert.Equal(HttpStatusCode.Created, created.Status);
        Assert.Equal("False", condition["status"]!.GetValue<string>());
        Assert.Equal("Forbidden", condition["reason"]!.GetValue<string>());
        Assert.Contains("is blocked by the server's import policy", condition["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(upstream.Requests);
    }

    [Fact]
    public async Task AllowedListAndInsecureList_RefuseEverythingElse()
    {
        await using var server = await TestServer.StartAsync(new ServerOptions
        {
            AllowedRegistriesForImport = "*.example.com,quay.io",
            InsecureRegistries = "legacy.example.com",
        });

        var outside = await server.PostAsync("/apis/image.openshift.io/v1/namespaces/default/imagestreamimports", Import("a", "docker.io/library/busybox:latest"));
        var insecure = await server.PostAsync("/apis/image.openshift.io/v1/namespaces/default/imagestreamimports", Import("b", "quay.io/team/app:v1", insecure: true));

        Assert.Equal(HttpStatusCode.Forbidden, outside.Status);
        Assert.Contains("registry \"docker.io\" is not allowed by the server's import policy (allowed: *.example.com, quay.io)", outside["message"], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, insecure.Status);
        Assert.Contains("insecure access to registry \"quay.io\" is not allowed", insecure["message"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://quay.io")]
    [InlineData("quay.io,bad host")]
    public async Task BadPolicyOptions_StopTheServerFromStarting(string value)
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => TestServer.StartAsync(new ServerOptions { BlockedRegistries = value }));
        Assert.StartsWith("--blocked-registries: ", error.Message, StringComparison.Ordinal);
    }

    private static async Task<JsonNode> WaitForConditionAsync(TestServer server, string stream)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            var response = await server.GetAsync(StreamsPath("default") + "/" + stream);
            if (response.Body?["status"]?["tags"]?[0]?["conditions"]?[0] is { } condition)
            {
                return condition;
            }
            Assert.True(DateTime.UtcNow < deadline, "no condition on the tag: " + response.Text);
            await Task.Delay(100);
        }
    }
}
