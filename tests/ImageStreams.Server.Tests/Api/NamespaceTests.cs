using System.Net;
using System.Text.Json.Nodes;
using ImageStreams.Server.Tests.Support;
using static ImageStreams.Server.Tests.Support.Documents;

namespace ImageStreams.Server.Tests.Api;

public class NamespaceTests
{
    [Fact]
    public async Task DefaultNamespace_ExistsFromTheStart()
    {
        await using var server = await TestServer.StartAsync();

        var ns = await server.GetAsync("/api/v1/namespaces/default");

        Assert.Equal(HttpStatusCode.OK, ns.Status);
        Assert.Equal("Active", ns["status.phase"]);
    }

    [Fact]
    public async Task DeletingANamespace_DeletesEverythingInIt_AndNothingElse()
    {
        await using var server = await TestServer.StartAsync();
        await server.CreateNamespaceAsync("doomed");
        await server.PostAsync(StreamsPath("doomed"), Stream("a"));
        await server.PostAsync("/api/v1/namespaces/doomed/secrets", new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "s" },
            ["stringData"] = new JsonObject { ["k"] = "v" },
        });
        await server.PostAsync(StreamsPath("default"), Stream("kept"));

        var deleted = await server.DeleteAsync("/api/v1/namespaces/doomed");

        Assert.Equal(HttpStatusCode.OK, deleted.Status);
        Assert.Equal("Terminating", deleted["status.phase"]);
        Assert.Equal(HttpStatusCode.NotFound, (await server.GetAsync("/api/v1/namespaces/doomed")).Status);
        var streams = (await server.GetAsync("/apis/image.openshift.io/v1/imagestreams")).Object["items"]!.AsArray();
        Assert.DoesNotContain(streams, i => i!["metadata"]!["namespace"]!.GetValue<string>() == "doomed");
        Assert.Empty((await server.GetAsync("/api/v1/secrets")).Object["items"]!.AsArray());
        Assert.Equal(HttpStatusCode.OK, (await server.GetAsync(StreamsPath("default") + "/kept")).Status);
        // A namespace of the same name starts empty.
        await server.CreateNamespaceAsync("doomed");
        Assert.Empty((await server.GetAsync(StreamsPath("doomed"))).Object["items"]!.AsArray());
    }

    [Fact]
    public async Task NamespaceNames_AreDnsLabels()
    {
        await using var server = await TestServer.StartAsync();

        var response = await server.PostAsync("/api/v1/namespaces", new JsonObject { ["metadata"] = new JsonObject { ["name"] = "has.dots" } });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.Status);
        Assert.Contains("RFC 1123 label", response["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task SecretStringData_IsStoredAsBase64Data()
    {
        await using var server = await TestServer.StartAsync();

        var created = await server.PostAsync("/api/v1/namespaces/default/secrets", new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "creds" },
            ["data"] = new JsonObject { ["a"] = "YQ==" },
            ["stringData"] = new JsonObject { ["b"] = "hello" },
        });

        Assert.Equal(HttpStatusCode.Created, created.Status);
        Assert.Equal("Opaque", created["type"]);
        Assert.Equal("YQ==", created["data.a"]);
        Assert.Equal("aGVsbG8=", created["data.b"]);
        Assert.Null(created["stringData"]);
    }
}
