using System.Net;
using System.Text.Json.Nodes;
using ImageStreams.Server.Tests.Support;
using static ImageStreams.Server.Tests.Support.Documents;

namespace ImageStreams.Server.Tests.Api;

public class ImageStreamTests
{
    [Fact]
    public async Task ImageStream_CanBeCreatedReadListedReplacedAndDeleted()
    {
        await using var server = await TestServer.StartAsync();

        var created = await server.PostAsync(StreamsPath("default"), Stream("ruby", ("3.3", "docker.io/library/ruby:3.3")));
        Assert.Equal(HttpStatusCode.Created, created.Status);
        Assert.Equal("default", created["metadata.namespace"]);
        Assert.True(Guid.TryParse(created["metadata.uid"], out _));
        Assert.Equal("1", created["metadata.generation"]);
        Assert.Equal("/apis/image.openshift.io/v1/namespaces/default/imagestreams/ruby", created["metadata.selfLink"]);

        var read = await server.GetAsync(StreamsPath("default") + "/ruby");
        Assert.Equal(HttpStatusCode.OK, read.Status);
        Assert.Equal("docker.io/library/ruby:3.3", read["spec.tags[0].from.name"]);
        Assert.Equal(created["metadata.resourceVersion"], read["metadata.resourceVersion"]);

        var list = await server.GetAsync(StreamsPath("default"));
        Assert.Equal("ImageStreamList", list["kind"]);
        Assert.Equal("ruby", list["items[0].metadata.name"]);

        var replacement = read.Object;
        replacement["spec"]!["tags"]![0]!["from"]!["name"] = "docker.io/library/ruby:3.4";
        var replaced = await server.PutAsync(StreamsPath("default") + "/ruby", replacement);
        Assert.Equal(HttpStatusCode.OK, replaced.Status);
        Assert.Equal("docker.io/library/ruby:3.4", replaced["spec.tags[0].from.name"]);
        Assert.NotEqual(read["metadata.resourceVersion"], replaced["metadata.resourceVersion"]);

        var deleted = await server.DeleteAsync(StreamsPath("default") + "/ruby");
        Assert.Equal(HttpStatusCode.OK, deleted.Status);
        Assert.Equal("ruby", deleted["metadata.name"]);
        Assert.Equal(HttpStatusCode.NotFound, (await server.GetAsync(StreamsPath("default") + "/ruby")).Status);
    }

    [Fact]
    public async Task SeedDocument_PostedAsYaml_KeepsItsSpecAndGetsThisServersRepository()
    {
        await using var server = await TestServer.StartAsync();
        await server.CreateNamespaceAsync("araszka-playground");
        var seed = Yaml(await File.ReadAllTextAsync(SeedPath));

        var created = await server.SendAsync(HttpMethod.Post, StreamsPath("araszka-playground"), await File.ReadAllTextAsync(SeedPath), "application/yaml");

        Assert.Equal(HttpStatusCode.Created, created.Status);
        var read = await server.GetAsync(StreamsPath("araszka-playground") + "/rhel7");
        var expectedSpec = seed["spec"]!.DeepClone().AsObject();
        // "annotations: null" is no annotations.
        expectedSpec["tags"]![0]!.AsObject().Remove("annotations");
        Assert.True(JsonNode.DeepEquals(expectedSpec, read.Object["spec"]), read.Object["spec"]!.ToJsonString());
        Assert.Equal($"{server.HostPort}/araszka-playground/rhel7", read["status.dockerImageRepository"]);
        // The other server's uid, version, timestamps and status are ignored, not refused.
        Assert.NotEqual("c5f28e85-5f76-11e9-8b0f-fa163e006653", read["metadata.uid"]);
        Assert.NotEqual("55223044", read["metadata.resourceVersion"]);
        Assert.NotEqual("2019-04-15T12:05:34Z", read["metadata.creationTimestamp"]);
        Assert.Null(read["status.tags"]);
        Assert.Equal("2019-04-15T12:05:34Z", read.Object["metadata"]!["annotations"]!["openshift.io/image.dockerRepositoryCheck"]!.GetValue<string>());
    }

    [Fact]
    public async Task Generation_CountsSpecChangesOnly_AndTagsKeepTheGenerationOfTheirLastSourceChange()
    {
        await using var server = await TestServer.StartAsync();
        var path = StreamsPath("default") + "/app";
        await server.PostAsync(StreamsPath("default"), Stream("app", ("a", "quay.io/x/a:1"), ("b", "quay.io/x/b:1")));

        // Labels are not spec: no new generation.
        var labeled = await server.PatchAsync(path, "application/merge-patch+json", """{"metadata":{"labels":{"team":"web"}}}""");
        Assert.Equal("1", labeled["metadata.generation"]);

        // A new source for tag b: generation 2, and b (only b) takes it.
        var moved = await server.PatchAsync(path, "application/merge-patch+json",
            """{"spec":{"tags":[{"name":"a","from":{"kind":"DockerImage","name":"quay.io/x/a:1"}},{"name":"b","from":{"kind":"DockerImage","name":"quay.io/x/b:2"}}]}}""");
        Assert.Equal("2", moved["metadata.generation"]);
        Assert.Equal("1", moved["spec.tags[0].generation"]);
        Assert.Equal("2", moved["spec.tags[1].generation"]);

        // A user cannot set a tag generation, except to 0: a re-import request that takes the new stream generation.
        var forged = moved.Object;
        forged["spec"]!["tags"]![0]!["generation"] = 7;
        var kept = await server.PutAsync(path, forged);
        Assert.Equal("2", kept["metadata.generation"]);
        Assert.Equal("1", kept["spec.tags[0].generation"]);
        var reset = kept.Object;
        reset["spec"]!["tags"]![0]!["generation"] = 0;
        var reimport = await server.PutAsync(path, reset);
        Assert.Equal("3", reimport["metadata.generation"]);
        Assert.Equal("3", reimport["spec.tags[0].generation"]);
        Assert.Equal("2", reimport["spec.tags[1].generation"]);
    }

    [Fact]
    public async Task Status_ChangesOnlyThroughTheStatusSubresource_WhichKeepsSpecAndGeneration()
    {
        await using var server = await TestServer.StartAsync();
        var path = StreamsPath("default") + "/app";
        await server.PostAsync(StreamsPath("default"), Stream("app", ("a", "quay.io/x/a:1")));
        var withStatus = (await server.GetAsync(path)).Object;
        withStatus["status"] = StatusWithTag("a", "sha256:" + new string('1', 64));
        withStatus["metadata"]!["labels"] = new JsonObject { ["x"] = "y" };

        // The main resource takes the labels and drops the status.
        var main = await server.PutAsync(path, withStatus.DeepClone());
        Assert.Equal("y", main["metadata.labels.x"]);
        Assert.Null(main["status.tags"]);

        // The status subresource takes the status and keeps the spec, whatever the body says of it.
        withStatus["metadata"]!["resourceVersion"] = main["metadata.resourceVersion"];
        withStatus["spec"]!["tags"] = new JsonArray();
        var status = await server.PutAsync(path + "/status", withStatus.DeepClone());
        Assert.Equal(HttpStatusCode.OK, status.Status);
        Assert.Equal("a", status["status.tags[0].tag"]);
        Assert.Equal("a", status["spec.tags[0].name"]);
        Assert.Equal(main["metadata.generation"], status["metadata.generation"]);
    }

    [Fact]
    public async Task StaleResourceVersion_IsAConflict()
    {
        await using var server = await TestServer.StartAsync();
        var path = StreamsPath("default") + "/app";
        var created = await server.PostAsync(StreamsPath("default"), Stream("app"));
        await server.PatchAsync(path, "application/merge-patch+json", """{"metadata":{"labels":{"a":"b"}}}""");

        var stale = await server.PutAsync(path, created.Object);

        Assert.Equal(HttpStatusCode.Conflict, stale.Status);
        Assert.Equal("Conflict", stale["reason"]);
        Assert.Contains("the object has been modified", stale["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task TwoConcurrentUpdatesOfTheSameVersion_OneWinsAndOneConflicts()
    {
        await using var server = await TestServer.StartAsync();
        var path = StreamsPath("default") + "/app";
        var created = (await server.PostAsync(StreamsPath("default"), Stream("app"))).Object;
        var first = created.DeepClone().AsObject();
        first["metadata"]!["labels"] = new JsonObject { ["writer"] = "first" };
        var second = created.DeepClone().AsObject();
        second["metadata"]!["labels"] = new JsonObject { ["writer"] = "second" };

        var results = await Task.WhenAll(server.PutAsync(path, first), server.PutAsync(path, second));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], results.Select(r => r.Status).Order());
        var winner = results.Single(r => r.Status == HttpStatusCode.OK)["metadata.labels.writer"];
        Assert.Equal(winner, (await server.GetAsync(path))["metadata.labels.writer"]);
    }

    [Fact]
    public async Task Restart_KeepsEveryObject()
    {
        var server = await TestServer.StartAsync();
        await server.CreateNamespaceAsync("team");
        var created = await server.PostAsync(StreamsPath("team"), Stream("app", ("a", "quay.io/x/a:1")));

        server = await server.RestartAsync();
        await using var _ = server;

        var read = await server.GetAsync(StreamsPath("team") + "/app");
        Assert.Equal(HttpStatusCode.OK, read.Status);
        Assert.Equal(created["metadata.uid"], read["metadata.uid"]);
        Assert.Equal(created["metadata.resourceVersion"], read["metadata.resourceVersion"]);
        Assert.Equal("quay.io/x/a:1", read["spec.tags[0].from.name"]);
        Assert.Equal($"{server.HostPort}/team/app", read["status.dockerImageRepository"]);
        Assert.Equal(HttpStatusCode.OK, (await server.GetAsync("/api/v1/namespaces/default")).Status);
    }

    [Fact]
    public async Task LabelAndFieldSelectors_FilterLists()
    {
        await using var server = await TestServer.StartAsync();
        foreach (var (name, tier) in new[] { ("web", "front"), ("api", "back"), ("db", "back") })
        {
            var stream = Stream(name);
            stream["metadata"]!["labels"] = new JsonObject { ["tier"] = tier };
            await server.PostAsync(StreamsPath("default"), stream);
        }
        await server.PostAsync(StreamsPath("default"), Stream("bare"));

        async Task<string> Names(string query) =>
            string.Join(",", ((await server.GetAsync(StreamsPath("default") + query)).Object["items"] as JsonArray)!
                .Select(i => i!["metadata"]!["name"]!.GetValue<string>()));

        Assert.Equal("api,db", await Names("?labelSelector=tier%3Dback"));
        Assert.Equal("api,db", await Names("?labelSelector=tier%20in%20(back)"));
        Assert.Equal("bare,web", await Names("?labelSelector=tier!%3Dback"));
        Assert.Equal("bare", await Names("?labelSelector=!tier"));
        Assert.Equal("api,db,web", await Names("?labelSelector=tier"));
        Assert.Equal("web", await Names("?labelSelector=tier%20notin%20(back),tier"));
        Assert.Equal("db", await Names("?fieldSelector=metadata.name%3Ddb"));
        Assert.Equal("api,bare,web", await Names("?fieldSelector=metadata.name!%3Ddb"));
        Assert.Equal(HttpStatusCode.BadRequest, (await server.GetAsync(StreamsPath("default") + "?labelSelector=a%20in%20b")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await server.GetAsync(StreamsPath("default") + "?fieldSelector=spec.x%3Dy")).Status);
    }

    [Fact]
    public async Task ImageStreams_OfAllNamespaces_AreListedTogether()
    {
        await using var server = await TestServer.StartAsync();
        await server.CreateNamespaceAsync("one");
        await server.PostAsync(StreamsPath("one"), Stream("a"));
        await server.PostAsync(StreamsPath("default"), Stream("b"));

        var list = await server.GetAsync("/apis/image.openshift.io/v1/imagestreams");

        Assert.Equal("default/b,one/a", string.Join(",", (list.Object["items"] as JsonArray)!
            .Select(i => $"{i!["metadata"]!["namespace"]}/{i["metadata"]!["name"]}")));
    }

    [Fact]
    public async Task DeleteCollection_DeletesTheSelectedStreamsOnly()
    {
        await using var server = await TestServer.StartAsync();
        foreach (var (name, doomed) in new[] { ("a", true), ("b", true), ("c", false) })
        {
            var stream = Stream(name);
            stream["metadata"]!["labels"] = new JsonObject { ["doomed"] = doomed ? "yes" : "no" };
            await server.PostAsync(StreamsPath("default"), stream);
        }

        var deleted = await server.DeleteAsync(StreamsPath("default") + "?labelSelector=doomed%3Dyes");

        Assert.Equal(HttpStatusCode.OK, deleted.Status);
        Assert.Equal(2, deleted.Object["items"]!.AsArray().Count);
        var left = (await server.GetAsync(StreamsPath("default"))).Object["items"]!.AsArray();
        Assert.Equal("c", Assert.Single(left)!["metadata"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task DryRun_ReturnsWhatWouldBeStored_AndStoresNothing()
    {
        await using var server = await TestServer.StartAsync();

        var response = await server.PostAsync(StreamsPath("default") + "?dryRun=All", Stream("app", ("a", "quay.io/x/a:1")));

        Assert.Equal(HttpStatusCode.Created, response.Status);
        Assert.Equal("1", response["spec.tags[0].generation"]);
        Assert.Equal(HttpStatusCode.NotFound, (await server.GetAsync(StreamsPath("default") + "/app")).Status);
    }

    [Fact]
    public async Task Responses_CanBeYamlOrMetadataOnly()
    {
        await using var server = await TestServer.StartAsync();
        await server.PostAsync(StreamsPath("default"), Stream("app", ("a", "quay.io/x/a:1")));

        var yaml = await server.GetAsync(StreamsPath("default") + "/app", "application/yaml");
        var metadata = await server.GetAsync(StreamsPath("default"), "application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io");
        var protobufOnly = await server.GetAsync(StreamsPath("default"), "application/vnd.kubernetes.protobuf");

        var document = ImageStreams.Model.Serialization.Yaml.ParseDocuments(yaml.Text).Single();
        Assert.Equal("quay.io/x/a:1", document["spec"]!["tags"]![0]!["from"]!["name"]!.GetValue<string>());
        Assert.Equal("PartialObjectMetadataList", metadata["kind"]);
        Assert.Equal("app", metadata["items[0].metadata.name"]);
        Assert.Null(metadata["items[0].spec"]);
        Assert.Equal(HttpStatusCode.NotAcceptable, protobufOnly.Status);
    }

    internal static JsonObject StatusWithTag(string tag, string digest) => new()
    {
        ["tags"] = new JsonArray(new JsonObject
        {
            ["tag"] = tag,
            ["items"] = new JsonArray(new JsonObject
            {
                ["created"] = "2024-01-02T03:04:05Z",
                ["dockerImageReference"] = $"quay.io/x/{tag}@{digest}",
                ["image"] = digest,
                ["generation"] = 1,
            }),
        }),
    };

    private static JsonObject Yaml(string text) => ImageStreams.Model.Serialization.Yaml.ParseDocuments(text).Single().AsObject();
}
