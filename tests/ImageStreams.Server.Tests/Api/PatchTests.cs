using System.Net;
using System.Text.Json.Nodes;
using ImageStreams.Server.Tests.Support;
using static ImageStreams.Server.Tests.Support.Documents;

namespace ImageStreams.Server.Tests.Api;

public class PatchTests
{
    private const string Path = "/apis/image.openshift.io/v1/namespaces/default/imagestreams/app";

    private static async Task<TestServer> WithStreamAsync()
    {
        var server = await TestServer.StartAsync();
        await server.PostAsync(StreamsPath("default"), Stream("app", ("a", "quay.io/x/a:1"), ("b", "quay.io/x/b:1")));
        return server;
    }

    private static string Tags(ApiResponse response) =>
        string.Join(",", (response.Object["spec"]!["tags"] as JsonArray)!.Select(t => $"{t!["name"]}={t["from"]?["name"]}"));

    [Fact]
    public async Task MergePatch_ReplacesTheWholeTagList()
    {
        await using var server = await WithStreamAsync();

        var patched = await server.PatchAsync(Path, "application/merge-patch+json",
            """{"spec":{"tags":[{"name":"c","from":{"kind":"DockerImage","name":"quay.io/x/c:1"}}]}}""");

        Assert.Equal(HttpStatusCode.OK, patched.Status);
        Assert.Equal("c=quay.io/x/c:1", Tags(patched));
    }

    [Fact]
    public async Task MergePatch_NullRemovesAField()
    {
        await using var server = await WithStreamAsync();
        await server.PatchAsync(Path, "application/merge-patch+json", """{"metadata":{"labels":{"a":"1","b":"2"}}}""");

        var patched = await server.PatchAsync(Path, "application/merge-patch+json", """{"metadata":{"labels":{"a":null}}}""");

        Assert.Equal("""{"b":"2"}""", patched.Object["metadata"]!["labels"]!.ToJsonString());
    }

    [Fact]
    public async Task StrategicMergePatch_MergesSpecTagsByName()
    {
        await using var server = await WithStreamAsync();

        var patched = await server.PatchAsync(Path, "application/strategic-merge-patch+json",
            """{"spec":{"tags":[{"name":"b","from":{"kind":"DockerImage","name":"quay.io/x/b:2"}},{"name":"c","from":{"kind":"DockerImage","name":"quay.io/x/c:1"}}]}}""");

        Assert.Equal(HttpStatusCode.OK, patched.Status);
        Assert.Equal("a=quay.io/x/a:1,b=quay.io/x/b:2,c=quay.io/x/c:1", Tags(patched));
        Assert.Equal("2", patched["metadata.generation"]);
    }

    [Fact]
    public async Task StrategicMergePatch_DeleteDirectiveRemovesOneTag()
    {
        await using var server = await WithStreamAsync();

        var patched = await server.PatchAsync(Path, "application/strategic-merge-patch+json",
            """{"spec":{"tags":[{"name":"a","$patch":"delete"}]}}""");

        Assert.Equal("b=quay.io/x/b:1", Tags(patched));
    }

    [Fact]
    public async Task StrategicMergePatch_ReplaceDirectiveReplacesTheList()
    {
        await using var server = await WithStreamAsync();

        var patched = await server.PatchAsync(Path, "application/strategic-merge-patch+json",
            """{"spec":{"tags":[{"$patch":"replace"},{"name":"z","from":{"kind":"DockerImage","name":"quay.io/x/z:1"}}]}}""");

        Assert.Equal("z=quay.io/x/z:1", Tags(patched));
    }

    [Fact]
    public async Task JsonPatch_AppliesOperationsInOrder()
    {
        await using var server = await WithStreamAsync();

        var patched = await server.PatchAsync(Path, "application/json-patch+json",
            """[{"op":"test","path":"/spec/tags/0/name","value":"a"},{"op":"remove","path":"/spec/tags/0"},{"op":"replace","path":"/spec/tags/0/from/name","value":"quay.io/x/b:9"}]""");
        var failed = await server.PatchAsync(Path, "application/json-patch+json", """[{"op":"test","path":"/spec/tags/0/name","value":"nope"}]""");

        Assert.Equal("b=quay.io/x/b:9", Tags(patched));
        Assert.Equal(HttpStatusCode.BadRequest, failed.Status);
        Assert.Contains("test failed", failed["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Patch_WithAStaleResourceVersion_IsAConflict()
    {
        await using var server = await WithStreamAsync();
        var version = (await server.GetAsync(Path))["metadata.resourceVersion"];
        await server.PatchAsync(Path, "application/merge-patch+json", """{"metadata":{"labels":{"x":"1"}}}""");

        var stale = await server.PatchAsync(Path, "application/merge-patch+json", new JsonObject { ["metadata"] = new JsonObject { ["resourceVersion"] = version, ["labels"] = new JsonObject { ["x"] = "2" } } }.ToJsonString());

        Assert.Equal(HttpStatusCode.Conflict, stale.Status);
    }

    [Fact]
    public async Task Patch_ThatMakesTheObjectInvalid_IsRefusedWithFieldCauses()
    {
        await using var server = await WithStreamAsync();

        var invalid = await server.PatchAsync(Path, "application/strategic-merge-patch+json",
            """{"spec":{"tags":[{"name":"a","from":{"kind":"Git","name":"x"}}]}}""");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, invalid.Status);
        Assert.Equal("spec.tags[0].from.kind", invalid["details.causes[0].field"]);
    }

    [Fact]
    public async Task ServerSideApply_IsUnsupportedMediaType()
    {
        await using var server = await WithStreamAsync();

        var apply = await server.PatchAsync(Path, "application/apply-patch+yaml", "metadata: {}");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, apply.Status);
        Assert.Contains("server-side apply", apply["message"], StringComparison.Ordinal);
    }
}
