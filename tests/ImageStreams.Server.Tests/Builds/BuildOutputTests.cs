using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ImageStreams.Server.Tests.Support;
using ImageStreams.Testing.Processes;
using ImageStreams.Testing.Registry;
using static ImageStreams.Server.Tests.Builds.BuildDocuments;

namespace ImageStreams.Server.Tests.Builds;

/// <summary>Builds with the server's own builders pushing to another registry: a DockerImage output and its push secret.</summary>
public class BuildOutputTests
{
    [Fact]
    public async Task DockerImageOutput_IsPushedWithThePushSecret_AndFailsWithoutIt()
    {
        await using var registry = await DockerRegistryPeer.StartWithBasicAuthAsync("builder", "s3cret");
        await using var server = await TestServer.StartAsync();
        var auth = Convert.ToBase64String(Encoding.UTF8.GetBytes("builder:s3cret"));
        var dockerConfig = new JsonObject
        {
            ["auths"] = new JsonObject { [registry.Host] = new JsonObject { ["auth"] = auth } },
        }.ToJsonString();
        var secret = await server.PostAsync("/api/v1/namespaces/default/secrets", new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Secret",
            ["metadata"] = new JsonObject { ["name"] = "push" },
            ["type"] = "kubernetes.io/dockerconfigjson",
            ["stringData"] = new JsonObject { [".dockerconfigjson"] = dockerConfig },
        });
        Assert.Equal(HttpStatusCode.Created, secret.Status);
        await server.CreateNamespaceAsync("other");
        foreach (var (name, pushSecret, ns) in new[] { ("with-secret", "push", "default"), ("without", null, "other") })
        {
            var config = Config(name);
            config["spec"]!["output"] = new JsonObject
            {
                ["to"] = new JsonObject { ["kind"] = "DockerImage", ["name"] = $"{registry.Host}/team/{name}:1" },
            };
            if (pushSecret is not null)
            {
                config["spec"]!["output"]!["pushSecret"] = new JsonObject { ["name"] = pushSecret };
            }
            await server.CreateConfigAsync(config, ns);
        }

        var pushed = await server.WaitForPhaseAsync(await server.StartBuildAsync("with-secret"), "Complete");
        // Without a push secret a build offers its namespace's registry secrets, and "other" has none.
        var refused = await server.StartBuildAsync("without", "other");
        await EventuallyAsync(async () => await server.PhaseAsync(refused, "other") is "Failed" or "Complete", "the build without a secret to end");
        var failed = await server.GetAsync($"{BuildsPath("other")}/{refused}");

        var digest = await TestImages.ManifestDigestAsync($"{registry.Host}/team/with-secret:1", "builder:s3cret");
        Assert.Equal(digest, pushed["status.output.to.imageDigest"]);
        Assert.Equal($"{registry.Host}/team/with-secret:1", pushed["status.outputDockerImageReference"]);
        Assert.Equal("Failed", failed["status.phase"]);
        Assert.False(string.IsNullOrEmpty(failed["status.reason"]));
        Assert.Contains(registry.Host, failed["status.message"], StringComparison.Ordinal);
    }
}
