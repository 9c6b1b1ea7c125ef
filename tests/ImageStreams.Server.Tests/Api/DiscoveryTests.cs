using System.Net;
using System.Text.Json.Nodes;
using ImageStreams.Server.Tests.Support;

namespace ImageStreams.Server.Tests.Api;

public class DiscoveryTests
{
    [Fact]
    public async Task DiscoveryDocuments_DescribeEveryGroupAndResource()
    {
        await using var server = await TestServer.StartAsync();

        var api = await server.GetAsync("/api");
        var core = await server.GetAsync("/api/v1");
        var groups = await server.GetAsync("/apis");
        var group = await server.GetAsync("/apis/image.openshift.io");
        var image = await server.GetAsync("/apis/image.openshift.io/v1");

        Assert.Equal("APIVersions", api["kind"]);
        Assert.Equal("v1", api["versions[0]"]);
        Assert.Equal("APIResourceList", core["kind"]);
        Assert.Contains("namespaces", Names(core));
        Assert.Contains("secrets", Names(core));
        Assert.Equal("image.openshift.io", groups["groups[0].name"]);
        Assert.Equal("image.openshift.io/v1", group["preferredVersion.groupVersion"]);
        var streams = Resource(image, "imagestreams");
        Assert.Equal("ImageStream", streams["kind"]!.GetValue<string>());
        Assert.True(streams["namespaced"]!.GetValue<bool>());
        Assert.Equal("imagestream", streams["singularName"]!.GetValue<string>());
        Assert.Equal("""["is"]""", streams["shortNames"]!.ToJsonString());
        Assert.Contains("watch", streams["verbs"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal("""["istag"]""", Resource(image, "imagestreamtags")["shortNames"]!.ToJsonString());
        Assert.Equal("""["isimage"]""", Resource(image, "imagestreamimages")["shortNames"]!.ToJsonString());
        Assert.False(Resource(image, "images")["namespaced"]!.GetValue<bool>());
        Assert.Equal("""["get","patch","update"]""", Resource(image, "imagestreams/status")["verbs"]!.ToJsonString());
    }

    [Fact]
    public async Task VersionAndHealth_Answer()
    {
        await using var server = await TestServer.StartAsync();

        var version = await server.GetAsync("/version");
        var healthz = await server.GetAsync("/healthz");
        var readyz = await server.GetAsync("/readyz");

        Assert.StartsWith("v1.", version["gitVersion"], StringComparison.Ordinal);
        Assert.Equal("1", version["major"]);
        Assert.Equal("ok", healthz.Text);
        Assert.Equal(HttpStatusCode.OK, readyz.Status);
    }

    [Fact]
    public async Task OpenApiV3_DeclaresServerSideFieldValidationForPatches()
    {
        await using var server = await TestServer.StartAsync();

        var index = await server.GetAsync("/openapi/v3");
        var url = index.Object["paths"]!["apis/image.openshift.io/v1"]!["serverRelativeURL"]!.GetValue<string>();
        var document = await server.GetAsync(url);

        var patch = document.Object["paths"]!["/apis/image.openshift.io/v1/namespaces/{namespace}/imagestreams/{name}"]!["patch"]!;
        Assert.Equal("ImageStream", patch["x-kubernetes-group-version-kind"]!["kind"]!.GetValue<string>());
        Assert.Contains("fieldValidation", patch["parameters"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Tables_HaveTheColumnsOfOc()
    {
        await using var server = await TestServer.StartAsync();
        await server.PostAsync(Documents.StreamsPath("default"), Documents.Stream("app", ("v1", "quay.io/x/app:v1")));
        var stream = (await server.GetAsync(Documents.StreamsPath("default") + "/app")).Object;
        var tags = new JsonArray();
        foreach (var tag in new[] { "latest", "1.0", "2.0", "a-very-long-tag-name-for-trimming", "zzz" })
        {
            tags.Add(ImageStreamTests.StatusWithTag(tag, "sha256:" + new string('c', 64))["tags"]![0]!.DeepClone());
        }
        stream["status"] = new JsonObject { ["tags"] = tags };
        await server.PutAsync(Documents.StreamsPath("default") + "/app/status", stream);

        var table = await server.GetAsync(Documents.StreamsPath("default"), "application/json;as=Table;v=v1;g=meta.k8s.io,application/json");

        Assert.Equal("Table", table["kind"]);
        Assert.Equal("""["Name","Image Repository","Tags","Updated"]""",
            new JsonArray(table.Object["columnDefinitions"]!.AsArray().Select(c => (JsonNode?)c!["name"]!.GetValue<string>()).ToArray()).ToJsonString());
        Assert.Equal("app", table["rows[0].cells[0]"]);
        Assert.Equal($"{server.HostPort}/default/app", table["rows[0].cells[1]"]);
        Assert.Equal("latest,2.0,1.0 + 2 more...", table["rows[0].cells[2]"]);
        Assert.EndsWith(" ago", table["rows[0].cells[3]"], StringComparison.Ordinal);
        Assert.Equal("PartialObjectMetadata", table["rows[0].object.kind"]);
        Assert.Equal("default", table["rows[0].object.metadata.namespace"]);
    }

    private static IEnumerable<string> Names(ApiResponse list) =>
        list.Object["resources"]!.AsArray().Select(r => r!["name"]!.GetValue<string>());

    private static JsonObject Resource(ApiResponse list, string name) =>
        list.Object["resources"]!.AsArray().Single(r => r!["name"]!.GetValue<string>() == name)!.AsObject();
}
