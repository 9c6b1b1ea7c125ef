using System.Net;
using System.Text.Json.Nodes;
using ImageStreams.Distribution.Tests.Support;

namespace ImageStreams.Distribution.Tests.Mappings;

/// <summary><c>POST .../imagestreammappings</c>, the write the registry makes on a push, for other writers.</summary>
public sealed class ImageStreamMappingTests(RegistryServerFixture fixture) : IClassFixture<RegistryServerFixture>
{
    private static readonly string First = "sha256:" + new string('1', 64);
    private static readonly string Second = "sha256:" + new string('2', 64);

    private readonly RegistryServer server = fixture.Server;

    [Fact]
    public async Task AMapping_CreatesTheStreamAndTheImage_AndANewImagePrependsHistory()
    {
        var ns = await server.NewNamespaceAsync();

        var (created, body) = await MapAsync(ns, "app", "v1", First);
        var (again, _) = await MapAsync(ns, "app", "v1", First);
        await MapAsync(ns, "app", "v1", Second);

        Assert.Equal(HttpStatusCode.Created, created);
        Assert.Equal("Success", (string?)body!["status"]);
        Assert.Equal(HttpStatusCode.Created, again);
        var items = (await server.GetStreamAsync(ns, "app"))!["status"]!["tags"]![0]!["items"]!.AsArray();
        Assert.Equal(new[] { Second, First }, items.Select(i => (string)i!["image"]!));
        Assert.Equal($"quay.io/team/app@{Second}", (string?)items[0]!["dockerImageReference"]);
        Assert.All(items, i => Assert.Equal(1, (long)i!["generation"]!));
        Assert.Equal($"quay.io/team/app@{First}", (string?)(await server.GetImageAsync(First))!["dockerImageReference"]);
    }

    [Fact]
    public async Task AMappingWithoutTagOrImage_IsInvalid_AndWritesNothing()
    {
        var ns = await server.NewNamespaceAsync();

        var (status, body) = await server.PostJsonAsync($"/apis/image.openshift.io/v1/namespaces/{ns}/imagestreammappings", new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "app" },
            ["image"] = new JsonObject { ["metadata"] = new JsonObject() },
        });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal("Invalid", (string?)body!["reason"]);
        Assert.Contains("tag: Required value", (string?)body["message"], StringComparison.Ordinal);
        Assert.Contains("image.dockerImageReference: Required value", (string?)body["message"], StringComparison.Ordinal);
        Assert.Null(await server.GetStreamAsync(ns, "app"));
    }

    [Fact]
    public async Task AMappingIntoANamespaceThatDoesNotExist_IsNotFound()
    {
        var (status, _) = await MapAsync("no-such-namespace", "app", "v1", First);

        Assert.Equal(HttpStatusCode.NotFound, status);
    }

    private Task<(HttpStatusCode, JsonNode?)> MapAsync(string ns, string stream, string tag, string digest) =>
        server.PostJsonAsync($"/apis/image.openshift.io/v1/namespaces/{ns}/imagestreammappings", new JsonObject
        {
            ["apiVersion"] = "image.openshift.io/v1",
            ["kind"] = "ImageStreamMapping",
            ["metadata"] = new JsonObject { ["name"] = stream },
            ["image"] = new JsonObject
            {
                ["metadata"] = new JsonObject { ["name"] = digest },
                ["dockerImageReference"] = $"quay.io/team/app@{digest}",
            },
            ["tag"] = tag,
        });
}
