using System.Net;
using System.Text.Json.Nodes;
using ImageStreams.Server.Tests.Support;
using static ImageStreams.Server.Tests.Support.Documents;

namespace ImageStreams.Server.Tests.Api;

public class ErrorTests
{
    private static void AssertStatus(ApiResponse response, HttpStatusCode code, string reason, string messagePart)
    {
        Assert.Equal(code, response.Status);
        Assert.Equal("Status", response["kind"]);
        Assert.Equal("Failure", response["status"]);
        Assert.Equal(((int)code).ToString(System.Globalization.CultureInfo.InvariantCulture), response["code"]);
        Assert.Equal(reason, response["reason"]);
        Assert.Contains(messagePart, response["message"], StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", response.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MalformedYaml_IsABadRequestWithTheLine()
    {
        await using var server = await TestServer.StartAsync();

        var response = await server.SendAsync(HttpMethod.Post, StreamsPath("default"), "metadata:\n  name: [a\nspec: {}\n", "application/yaml");

        AssertStatus(response, HttpStatusCode.BadRequest, "BadRequest", "invalid YAML at line");
    }

    [Fact]
    public async Task MalformedJson_IsABadRequestWithThePosition()
    {
        await using var server = await TestServer.StartAsync();

        var response = await server.SendAsync(HttpMethod.Post, StreamsPath("default"), """{"metadata": {"name": "x",}}""", "application/json");

        AssertStatus(response, HttpStatusCode.BadRequest, "BadRequest", "invalid JSON at line 1");
    }

    [Fact]
    public async Task FieldOfTheWrongType_IsABadRequestNamingTheField()
    {
        await using var server = await TestServer.StartAsync();

        var response = await server.SendAsync(HttpMethod.Post, StreamsPath("default"), """{"metadata":{"name":"x"},"spec":{"tags":"latest"}}""", "application/json");

        AssertStatus(response, HttpStatusCode.BadRequest, "BadRequest", "spec.tags");
    }

    [Fact]
    public async Task UnknownFieldWithStrictValidation_IsABadRequest()
    {
        await using var server = await TestServer.StartAsync();

        var response = await server.SendAsync(HttpMethod.Post, StreamsPath("default") + "?fieldValidation=Strict",
            """{"metadata":{"name":"x"},"spec":{"tagz":[]}}""", "application/json");

        AssertStatus(response, HttpStatusCode.BadRequest, "BadRequest", "unknown field \"spec.tagz\"");
    }

    [Fact]
    public async Task KindThatDoesNotMatchThePath_IsABadRequest()
    {
        await using var server = await TestServer.StartAsync();

        var response = await server.SendAsync(HttpMethod.Post, StreamsPath("default"), "apiVersion: image.openshift.io/v1\nkind: BuildConfig\nmetadata: {name: x}\n", "application/yaml");

        AssertStatus(response, HttpStatusCode.BadRequest, "BadRequest", "BuildConfig");
    }

    [Fact]
    public async Task UnknownResource_IsNotFound()
    {
        await using var server = await TestServer.StartAsync();

        AssertStatus(await server.GetAsync("/apis/image.openshift.io/v1/namespaces/default/buildconfigs"), HttpStatusCode.NotFound, "NotFound", "could not find the requested resource");
        AssertStatus(await server.GetAsync("/apis/apps/v1/replicasets"), HttpStatusCode.NotFound, "NotFound", "could not find the requested resource");
        AssertStatus(await server.GetAsync("/nothing/here"), HttpStatusCode.NotFound, "NotFound", "could not find the requested resource");
    }

    [Fact]
    public async Task MissingObject_IsNotFoundNamingIt()
    {
        await using var server = await TestServer.StartAsync();

        AssertStatus(await server.GetAsync(StreamsPath("default") + "/missing"), HttpStatusCode.NotFound, "NotFound", "imagestreams.image.openshift.io \"missing\" not found");
    }

    [Fact]
    public async Task InvalidNameAndTags_AreInvalidWithOneCausePerField()
    {
        await using var server = await TestServer.StartAsync();
        var stream = Stream("Bad_Name", ("ok", "quay.io/x/a:1"), ("ok", "quay.io/x/a:2"), ("-bad", "quay.io/x/a:3"));
        stream["spec"]!["tags"]![0]!["importPolicy"] = new JsonObject { ["importMode"] = "Sometimes" };
        stream["spec"]!["tags"]![1]!["from"]!["kind"] = "ImageStreamTag";
        stream["spec"]!["tags"]![1]!["from"]!["name"] = "other:1";
        stream["spec"]!["tags"]![1]!["importPolicy"] = new JsonObject { ["scheduled"] = true };
        stream["spec"]!["tags"]![2]!["referencePolicy"] = new JsonObject { ["type"] = "Elsewhere" };

        var response = await server.PostAsync(StreamsPath("default"), stream);

        AssertStatus(response, HttpStatusCode.UnprocessableEntity, "Invalid", "ImageStream.image.openshift.io \"Bad_Name\" is invalid");
        var fields = (response.Object["details"]!["causes"] as JsonArray)!.Select(c => c!["field"]!.GetValue<string>()).ToList();
        Assert.Equal(
            ["metadata.name", "spec.tags[0].importPolicy.importMode", "spec.tags[1].name", "spec.tags[1].importPolicy.scheduled", "spec.tags[2].name", "spec.tags[2].referencePolicy.type"],
            fields);
    }

    [Fact]
    public async Task BodyOverTheLimit_IsRequestEntityTooLarge()
    {
        await using var server = await TestServer.StartAsync(new ServerOptions { MaxRequestBodyBytes = 4096 });
        var stream = Stream("big");
        stream["metadata"]!["annotations"] = new JsonObject { ["filler"] = new string('x', 8192) };

        var response = await server.PostAsync(StreamsPath("default"), stream);

        AssertStatus(response, HttpStatusCode.RequestEntityTooLarge, "RequestEntityTooLarge", "limit is 4096 bytes");
    }

    [Fact]
    public async Task UnknownContentType_IsUnsupportedMediaType()
    {
        await using var server = await TestServer.StartAsync();

        var response = await server.SendAsync(HttpMethod.Post, StreamsPath("default"), "name=x", "application/x-www-form-urlencoded");

        AssertStatus(response, HttpStatusCode.UnsupportedMediaType, "UnsupportedMediaType", "application/x-www-form-urlencoded");
    }

    [Fact]
    public async Task VerbTheResourceDoesNotHave_IsMethodNotAllowed()
    {
        await using var server = await TestServer.StartAsync();

        AssertStatus(await server.DeleteAsync("/apis/image.openshift.io/v1/namespaces/default/imagestreamimages/a@sha256:abc"),
            HttpStatusCode.MethodNotAllowed, "MethodNotAllowed", "delete");
        AssertStatus(await server.GetAsync("/apis/image.openshift.io/v1/namespaces/default/imagestreamimports"),
            HttpStatusCode.MethodNotAllowed, "MethodNotAllowed", "list");
        AssertStatus(await server.PostAsync("/apis/image.openshift.io/v1/namespaces/default/imagestreamimports", new JsonObject { ["metadata"] = new JsonObject { ["name"] = "x" } }),
            (HttpStatusCode)422, "Invalid", "spec.images or spec.repository");
    }

    [Fact]
    public async Task CreateOnlyResources_CheckTheirBodiesAsEveryOtherResourceDoes()
    {
        await using var server = await TestServer.StartAsync();

        AssertStatus(await server.PostAsync("/apis/image.openshift.io/v1/namespaces/default/imagestreamimports",
                new JsonObject { ["kind"] = "ImageStream", ["metadata"] = new JsonObject { ["name"] = "x" } }),
            HttpStatusCode.BadRequest, "BadRequest", "does not match the expected kind (ImageStreamImport)");
        AssertStatus(await server.PostAsync("/apis/image.openshift.io/v1/namespaces/default/imagestreammappings",
                new JsonObject { ["metadata"] = new JsonObject { ["name"] = "x" }, ["tag"] = 5 }),
            HttpStatusCode.BadRequest, "BadRequest", "cannot be handled as a ImageStreamMapping");
    }

    [Fact]
    public async Task StrictValidation_DropsClusterMetadataThisServerDoesNotKeep_ButNotTypos()
    {
        await using var server = await TestServer.StartAsync();
        var exported = Stream("exported");
        exported["metadata"]!["ownerReferences"] = new JsonArray();
        exported["metadata"]!["managedFields"] = new JsonArray(new JsonObject { ["manager"] = "oc" });
        var typo = Stream("typo");
        typo["metadata"]!["lables"] = new JsonObject { ["a"] = "b" };

        var accepted = await server.PostAsync(StreamsPath("default") + "?fieldValidation=Strict", exported);
        var refused = await server.PostAsync(StreamsPath("default") + "?fieldValidation=Strict", typo);

        Assert.Equal(HttpStatusCode.Created, accepted.Status);
        AssertStatus(refused, HttpStatusCode.BadRequest, "BadRequest", "unknown field \"metadata.lables\"");
    }

    [Fact]
    public async Task CreateOnAnObjectPath_AndUpdateOnACollection_AreMethodNotAllowed()
    {
        await using var server = await TestServer.StartAsync();

        AssertStatus(await server.PostAsync(StreamsPath("default") + "/x", Stream("x")), HttpStatusCode.MethodNotAllowed, "MethodNotAllowed", "does not allow");
        AssertStatus(await server.PutAsync(StreamsPath("default"), Stream("x")), HttpStatusCode.MethodNotAllowed, "MethodNotAllowed", "does not allow");
    }

    [Fact]
    public async Task WriteIntoAMissingNamespace_IsNotFoundNamingTheNamespace()
    {
        await using var server = await TestServer.StartAsync();

        AssertStatus(await server.PostAsync(StreamsPath("nowhere"), Stream("x")), HttpStatusCode.NotFound, "NotFound", "namespaces \"nowhere\" not found");
    }

    [Fact]
    public async Task NamespaceInTheBodyThatIsNotThePaths_IsABadRequest()
    {
        await using var server = await TestServer.StartAsync();
        var stream = Stream("x");
        stream["metadata"]!["namespace"] = "other";

        AssertStatus(await server.PostAsync(StreamsPath("default"), stream), HttpStatusCode.BadRequest, "BadRequest", "does not match the namespace");
    }

    [Fact]
    public async Task ExistingName_IsAlreadyExists()
    {
        await using var server = await TestServer.StartAsync();
        await server.PostAsync(StreamsPath("default"), Stream("x"));

        AssertStatus(await server.PostAsync(StreamsPath("default"), Stream("x")), HttpStatusCode.Conflict, "AlreadyExists", "\"x\" already exists");
    }
}
