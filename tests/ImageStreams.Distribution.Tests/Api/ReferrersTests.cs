using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ImageStreams.Distribution.Tests.Support;
using static ImageStreams.Distribution.Tests.Api.UploadTests;

namespace ImageStreams.Distribution.Tests.Api;

public sealed class ReferrersTests(RegistryServerFixture fixture) : IClassFixture<RegistryServerFixture>
{
    private const string Sbom = "application/vnd.example.sbom.v1";

    private readonly RegistryServer server = fixture.Server;

    [Fact]
    public async Task AnArtifactWithASubject_IsListedAmongItsReferrers_FilteredByType_UntilItIsDeleted()
    {
        var ns = await server.NewNamespaceAsync();
        var repository = $"{ns}/app";
        var config = TestContent.Config();
        await server.UploadBlobAsync(repository, config);
        var image = TestContent.Manifest(config);
        using var pushed = await server.SendAsync(HttpMethod.Put, $"/v2/{repository}/manifests/v1", image, TestContent.OciManifest);
        var subject = RegistryServer.DigestOf(image);
        var artifact = await PushArtifactAsync(repository, image);
        var digest = RegistryServer.DigestOf(artifact.Bytes);

        using var all = await server.SendAsync(HttpMethod.Get, $"/v2/{repository}/referrers/{subject}");
        using var filtered = await server.SendAsync(HttpMethod.Get, $"/v2/{repository}/referrers/{subject}?artifactType=application/other");
        using var delete = await server.SendAsync(HttpMethod.Delete, $"/v2/{repository}/manifests/{digest}");
        using var after = await server.SendAsync(HttpMethod.Get, $"/v2/{repository}/referrers/{subject}");

        Assert.Equal(subject, Header(artifact.Response, "OCI-Subject"));
        Assert.Equal(TestContent.OciIndex, all.Content.Headers.ContentType!.MediaType);
        var listed = Assert.Single((await Index(all))["manifests"]!.AsArray())!;
        Assert.Equal(digest, (string?)listed["digest"]);
        Assert.Equal(Sbom, (string?)listed["artifactType"]);
        Assert.Equal(artifact.Bytes.Length, (int)listed["size"]!);
        Assert.Equal("v", (string?)listed["annotations"]!["k"]);
        Assert.Empty((await Index(filtered))["manifests"]!.AsArray());
        Assert.Equal("artifactType", Header(filtered, "OCI-Filters-Applied"));
        Assert.Equal(HttpStatusCode.Accepted, delete.StatusCode);
        Assert.Empty((await Index(after))["manifests"]!.AsArray());
    }

    [Fact]
    public async Task TheReferrersOfADigestNothingRefersTo_AreAnEmptyIndex()
    {
        var ns = await server.NewNamespaceAsync();

        using var response = await server.SendAsync(HttpMethod.Get, $"/v2/{ns}/app/referrers/sha256:{new string('0', 64)}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty((await Index(response))["manifests"]!.AsArray());
    }

    private async Task<(byte[] Bytes, HttpResponseMessage Response)> PushArtifactAsync(string repository, byte[] subject)
    {
        var empty = Encoding.UTF8.GetBytes("{}");
        var sbom = Encoding.UTF8.GetBytes("""{"packages":[]}""");
        await server.UploadBlobAsync(repository, empty);
        await server.UploadBlobAsync(repository, sbom);
        var manifest = Encoding.UTF8.GetBytes(new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = TestContent.OciManifest,
            ["artifactType"] = Sbom,
            ["config"] = TestContent.Descriptor("application/vnd.oci.empty.v1+json", empty),
            ["layers"] = new JsonArray(TestContent.Descriptor("application/spdx+json", sbom)),
            ["subject"] = TestContent.Descriptor(TestContent.OciManifest, subject),
            ["annotations"] = new JsonObject { ["k"] = "v" },
        }.ToJsonString());
        var response = await server.SendAsync(HttpMethod.Put, $"/v2/{repository}/manifests/{RegistryServer.DigestOf(manifest)}", manifest, TestContent.OciManifest);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (manifest, response);
    }

    private static async Task<JsonNode> Index(HttpResponseMessage response) => JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
}
