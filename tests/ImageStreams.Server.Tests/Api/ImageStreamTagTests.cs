using System.Net;
using System.Text.Json.Nodes;
using ImageStreams.Server.Tests.Support;
using static ImageStreams.Server.Tests.Support.Documents;

namespace ImageStreams.Server.Tests.Api;

public class ImageStreamTagTests
{
    private const string Tags = "/apis/image.openshift.io/v1/namespaces/default/imagestreamtags";
    private static readonly string Digest = "sha256:" + new string('a', 4) + new string('b', 60);

    private static JsonObject IsTag(string name, string from) => new()
    {
        ["apiVersion"] = "image.openshift.io/v1",
        ["kind"] = "ImageStreamTag",
        ["metadata"] = new JsonObject { ["name"] = name },
        ["tag"] = new JsonObject { ["from"] = new JsonObject { ["kind"] = "DockerImage", ["name"] = from } },
    };

    [Fact]
    public async Task CreatingATag_CreatesItsStream_AndASecondCreateIsAlreadyExists()
    {
        await using var server = await TestServer.StartAsync();

        var created = await server.PostAsync(Tags, IsTag("ruby:3.3", "docker.io/library/ruby:3.3"));
        var again = await server.PostAsync(Tags, IsTag("ruby:3.3", "docker.io/library/ruby:3.4"));

        Assert.Equal(HttpStatusCode.Created, created.Status);
        Assert.Equal("ruby:3.3", created["metadata.name"]);
        Assert.Equal("docker.io/library/ruby:3.3", created["tag.from.name"]);
        var stream = await server.GetAsync(StreamsPath("default") + "/ruby");
        Assert.Equal("3.3", stream["spec.tags[0].name"]);
        Assert.Equal(HttpStatusCode.Conflict, again.Status);
        Assert.Equal("AlreadyExists", again["reason"]);
    }

    [Fact]
    public async Task Tag_ShowsTheImageOfItsNewestHistoryItem()
    {
        await using var server = await TestServer.StartAsync();
        await server.PostAsync(StreamsPath("default"), Stream("app", ("v1", "quay.io/x/app:v1")));
        await SetStatusAsync(server);
        await server.PostAsync("/apis/image.openshift.io/v1/images", new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = Digest },
            ["dockerImageReference"] = $"quay.io/x/app@{Digest}",
            ["dockerImageMetadata"] = new JsonObject { ["Architecture"] = "amd64" },
        });

        var tag = await server.GetAsync(Tags + "/app:v1");

        Assert.Equal(HttpStatusCode.OK, tag.Status);
        Assert.Equal(Digest, tag["image.metadata.name"]);
        // The reference is where the history says the tag's image was found (reference policy Source).
        Assert.Equal($"quay.io/x/v1@{Digest}", tag["image.dockerImageReference"]);
        Assert.Equal("amd64", tag["image.dockerImageMetadata.Architecture"]);
        Assert.Equal("quay.io/x/app:v1", tag["tag.from.name"]);
        var list = await server.GetAsync(Tags);
        Assert.Equal("app:v1", list["items[0].metadata.name"]);
    }

    [Fact]
    public async Task DeletingATag_RemovesItsSpecAndItsHistory()
    {
        await using var server = await TestServer.StartAsync();
        await server.PostAsync(StreamsPath("default"), Stream("app", ("v1", "quay.io/x/app:v1"), ("v2", "quay.io/x/app:v2")));
        await SetStatusAsync(server);

        var deleted = await server.DeleteAsync(Tags + "/app:v1");
        var again = await server.DeleteAsync(Tags + "/app:v1");

        Assert.Equal(HttpStatusCode.OK, deleted.Status);
        Assert.Equal("Success", deleted["status"]);
        var stream = await server.GetAsync(StreamsPath("default") + "/app");
        Assert.Equal("v2", stream["spec.tags[0].name"]);
        Assert.Null(stream["spec.tags[1]"]);
        Assert.DoesNotContain("\"v1\"", stream.Object["status"]?["tags"]?.ToJsonString() ?? "", StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, again.Status);
    }

    [Fact]
    public async Task ImageStreamImage_FindsADigestOrAUniquePrefixInTheHistory()
    {
        await using var server = await TestServer.StartAsync();
        await server.PostAsync(StreamsPath("default"), Stream("app", ("v1", "quay.io/x/app:v1")));
        await SetStatusAsync(server);
        const string path = "/apis/image.openshift.io/v1/namespaces/default/imagestreamimages";

        var full = await server.GetAsync($"{path}/app@{Digest}");
        var prefix = await server.GetAsync($"{path}/app@aaaabb");
        var tooShort = await server.GetAsync($"{path}/app@aaa");
        var missing = await server.GetAsync($"{path}/app@sha256:ffffff");

        Assert.Equal(HttpStatusCode.OK, full.Status);
        Assert.Equal($"app@{Digest}", full["metadata.name"]);
        Assert.Equal($"quay.io/x/v1@{Digest}", full["image.dockerImageReference"]);
        Assert.Equal($"app@{Digest}", prefix["metadata.name"]);
        Assert.Equal(HttpStatusCode.BadRequest, tooShort.Status);
        Assert.Equal(HttpStatusCode.NotFound, missing.Status);
    }

    private static async Task SetStatusAsync(TestServer server)
    {
        var stream = (await server.GetAsync(StreamsPath("default") + "/app")).Object;
        stream["status"] = ImageStreamTests.StatusWithTag("v1", Digest);
        var written = await server.PutAsync(StreamsPath("default") + "/app/status", stream);
        Assert.Equal(HttpStatusCode.OK, written.Status);
    }
}
