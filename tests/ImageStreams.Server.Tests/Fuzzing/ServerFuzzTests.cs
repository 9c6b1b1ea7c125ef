using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ImageStreams.Model.Serialization;
using ImageStreams.Server.Tests.Support;
using ImageStreams.Testing.Fuzzing;

namespace ImageStreams.Server.Tests.Fuzzing;

/// <summary>
/// Seeded random requests near valid ones against a real server: every answer is a success or a Kubernetes Status
/// (a distribution error under /v2/) with a 4xx code, never a 5xx, and the server keeps answering. Bounded in time.
/// </summary>
public class ServerFuzzTests
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(4);

    // No import may leave the machine: every registry but a closed loopback port is refused by policy.
    private static readonly ServerOptions Options = new() { AllowedRegistriesForImport = "127.0.0.1:1" };

    private static readonly (string Path, JsonNode Body)[] Bodies =
    [
        ("/api/v1/namespaces", JsonNode.Parse("""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"fuzz-ns","labels":{"a":"b"}}}""")!),
        ("/api/v1/namespaces/default/secrets", JsonNode.Parse("""{"apiVersion":"v1","kind":"Secret","metadata":{"name":"pull"},"type":"kubernetes.io/dockerconfigjson","stringData":{".dockerconfigjson":"{\"auths\":{\"quay.io\":{\"auth\":\"dTpw\"}}}"}}""")!),
        ("/apis/image.openshift.io/v1/namespaces/default/imagestreams", JsonNode.Parse("""
            {"apiVersion":"image.openshift.io/v1","kind":"ImageStream","metadata":{"name":"app","annotations":{"x":"y"}},
             "spec":{"lookupPolicy":{"local":false},"tags":[
               {"name":"latest","from":{"kind":"DockerImage","name":"quay.io/team/app:v1"},"importPolicy":{"scheduled":true,"importMode":"Legacy"},"referencePolicy":{"type":"Source"}},
               {"name":"stable","from":{"kind":"ImageStreamTag","name":"latest"},"generation":0}]}}
            """)!),
        ("/apis/image.openshift.io/v1/namespaces/default/imagestreamimports", JsonNode.Parse("""
            {"apiVersion":"image.openshift.io/v1","kind":"ImageStreamImport","metadata":{"name":"imp"},
             "spec":{"import":true,"images":[{"from":{"kind":"DockerImage","name":"quay.io/team/app:v1"},"to":{"name":"v1"},"importPolicy":{"insecure":false}}],
                     "repository":{"from":{"kind":"DockerImage","name":"quay.io/team/app"}}}}
            """)!),
        ("/apis/image.openshift.io/v1/namespaces/default/imagestreamtags", JsonNode.Parse("""
            {"apiVersion":"image.openshift.io/v1","kind":"ImageStreamTag","metadata":{"name":"app:copy"},"tag":{"name":"copy","from":{"kind":"ImageStreamTag","name":"app:latest"}}}
            """)!),
        ("/apis/image.openshift.io/v1/namespaces/default/imagestreammappings", JsonNode.Parse("""
            {"apiVersion":"image.openshift.io/v1","kind":"ImageStreamMapping","metadata":{"name":"app"},"tag":"pushed",
             "image":{"metadata":{"name":"sha256:1111111111111111111111111111111111111111111111111111111111111111"},"dockerImageReference":"127.0.0.1:1/default/app@sha256:1111111111111111111111111111111111111111111111111111111111111111"}}
            """)!),
    ];

    [Fact]
    public async Task ApiBodies_AreAcceptedOrRefusedWithA4xxStatus()
    {
        await using var server = await TestServer.StartAsync(Options);
        var fuzz = Mutator.Seeded(8080);
        var refused = 0;
        await fuzz.RunAsync(3000, Budget, async i =>
        {
            var (path, seed) = fuzz.Pick(Bodies);
            var yaml = fuzz.Random.Next(3) == 0;
            var node = fuzz.Random.Next(4) == 0 ? seed : fuzz.MutateJson(seed);
            var text = node?.ToJsonString() ?? "null";
            try
            {
                text = yaml ? Yaml.Emit(node) : text;
            }
            catch (YamlDotNet.Core.YamlException)
            {
                // A string YAML cannot write (a lone surrogate from a cut): the body goes as JSON under the YAML type.
            }
            if (fuzz.Random.Next(3) == 0)
            {
                text = fuzz.Mutate(text);
            }
            var name = ((node as JsonObject)?["metadata"] as JsonObject)?["name"] is JsonValue value && value.TryGetValue<string>(out var n) ? n : "app";
            var (method, target) = fuzz.Random.Next(4) switch
            {
                0 => (HttpMethod.Put, $"{path}/{Uri.EscapeDataString(name)}"),
                1 when path.EndsWith("/imagestreams", StringComparison.Ordinal) => (HttpMethod.Patch, $"{path}/app"),
                _ => (HttpMethod.Post, path),
            };
            var contentType = method == HttpMethod.Patch
                ? fuzz.Pick(["application/merge-patch+json", "application/strategic-merge-patch+json", "application/json-patch+json"])
                : yaml ? "application/yaml" : "application/json";
            if (method == HttpMethod.Patch && contentType.StartsWith("application/json-patch", StringComparison.Ordinal))
            {
                text = fuzz.Mutate("""[{"op":"add","path":"/spec/tags/-","value":{"name":"x","from":{"kind":"DockerImage","name":"a/b"}}},{"op":"replace","path":"/metadata/labels","value":{"a":"b"}}]""");
            }

            var response = await server.SendAsync(method, target, Encoding.UTF8.GetBytes(text), contentType);

            if ((int)response.Status >= 400)
            {
                refused++;
                AssertStatus(response, $"{method} {target} {text}");
            }
            Assert.True((int)response.Status < 400 || (int)response.Status < 500, $"{(int)response.Status} for {method} {target}: {response.Text}");
        });
        Assert.True(refused > 0);
        Assert.Equal(HttpStatusCode.OK, (await server.GetAsync("/healthz")).Status);
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("application/yaml")]
    public async Task DeeplyNestedBodies_AreBadRequests(string contentType)
    {
        await using var server = await TestServer.StartAsync(Options);
        var deep = """{"metadata":{"name":"x"},"spec":""" + new string('[', 100_000) + new string(']', 100_000) + "}";

        var response = await server.SendAsync(HttpMethod.Post, "/apis/image.openshift.io/v1/namespaces/default/imagestreams", Encoding.UTF8.GetBytes(deep), contentType);

        AssertStatus(response, deep[..40]);
        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Matches("depth|deeper", response["message"]);
    }

    [Fact]
    public async Task AYamlAliasBomb_IsABadRequest()
    {
        await using var server = await TestServer.StartAsync(Options);
        var bomb = new StringBuilder("metadata: {name: bomb}\na: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for (var level = 'b'; level <= 'k'; level++)
        {
            var p = (char)(level - 1);
            bomb.Append($"{level}: &{level} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n");
        }

        var response = await server.SendAsync(HttpMethod.Post, "/apis/image.openshift.io/v1/namespaces/default/imagestreams", bomb.ToString(), "application/yaml");

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Contains("aliases expand to more than", response["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task RegistryPaths_AreAnsweredWithADistributionErrorOrSuccess()
    {
        await using var server = await TestServer.StartAsync(Options);
        var fuzz = Mutator.Seeded(5000);
        string[] names = ["default/app", "default/app/sub", "ns/x", "a/b/c/d"];
        string[] kinds = ["manifests", "blobs", "blobs/uploads", "tags/list", "referrers"];
        string[] references = ["latest", "v1", "sha256:" + new string('a', 64), "", "uuid-1234"];
        string[] queries = ["", "?digest=sha256:" + new string('b', 64), "?mount=sha256:" + new string('c', 64) + "&from=default/other", "?n=2&last=a", "?artifactType=x"];
        string[] methods = ["GET", "HEAD", "PUT", "POST", "PATCH", "DELETE"];
        await fuzz.RunAsync(3000, Budget, async _ =>
        {
            var path = $"/v2/{fuzz.Mutate(fuzz.Pick(names))}/{fuzz.Pick(kinds)}/{fuzz.Mutate(fuzz.Pick(references))}{fuzz.Pick(queries)}";
            if (!Uri.TryCreate(server.Server.BaseAddress, path, out var uri) || fuzz.Random.Next(5) == 0)
            {
                path = "/v2/" + Uri.EscapeDataString(fuzz.Mutate("default/app/manifests/latest")).Replace("%2F", "/", StringComparison.Ordinal);
                uri = new Uri(server.Server.BaseAddress, path);
            }
            var method = fuzz.Pick(methods);
            using var request = new HttpRequestMessage(new HttpMethod(method), uri);
            if (method is "PUT" or "POST" or "PATCH")
            {
                var body = Encoding.UTF8.GetBytes(fuzz.Mutate("""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"digest":"sha256:00","size":1},"layers":[]}"""));
                request.Content = new ByteArrayContent(body);
                request.Content.Headers.TryAddWithoutValidation("Content-Type", fuzz.Pick(["application/vnd.oci.image.manifest.v1+json", "application/octet-stream", "text/plain", "application/vnd.oci.image.index.v1+json"]));
            }

            using var response = await server.Client.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();

            Assert.True((int)response.StatusCode < 500, $"{(int)response.StatusCode} for {method} {path}: {text}");
            // A path that leaves /v2/ once normalized ("/v2/../x") is the API's: a Kubernetes Status.
            if ((int)response.StatusCode >= 400 && method != "HEAD" && text.Length > 0 && !uri.AbsolutePath.StartsWith("/v2/", StringComparison.Ordinal))
            {
                Assert.Equal("Status", JsonNode.Parse(text)?["kind"]?.GetValue<string>());
            }
            else if ((int)response.StatusCode >= 400 && method != "HEAD" && text.Length > 0)
            {
                var errors = JsonNode.Parse(text)?["errors"] as JsonArray;
                Assert.True(errors is { Count: > 0 }, $"{method} {path}: {text}");
                Assert.All(errors, e => Assert.False(string.IsNullOrEmpty(e?["code"]?.GetValue<string>())));
            }
        });
        Assert.Equal(HttpStatusCode.OK, (await server.GetAsync("/healthz")).Status);
    }

    private static void AssertStatus(ApiResponse response, string request)
    {
        Assert.True((int)response.Status is >= 400 and < 500, $"{(int)response.Status} for {request}: {response.Text}");
        Assert.True(response.Body is JsonObject, $"not JSON for {request}: {response.Text}");
        Assert.Equal("Status", response["kind"]);
        Assert.Equal("Failure", response["status"]);
        Assert.Equal(((int)response.Status).ToString(System.Globalization.CultureInfo.InvariantCulture), response["code"]);
        Assert.False(string.IsNullOrWhiteSpace(response["message"]));
        Assert.DoesNotContain("   at ", response.Text, StringComparison.Ordinal);
    }
}
