using System.Net;
using System.Text.Json.Nodes;
using ImageStreams.Server.Tests.Support;

namespace ImageStreams.Server.Tests.Api;

/// <summary>Deployments, StatefulSets, DaemonSets and CronJobs stored as documents, and their image change triggers.</summary>
public class WorkloadTests
{
    private const string DeploymentsPath = "/apis/apps/v1/namespaces/default/deployments";

    private const string DeploymentYaml = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          annotations:
            image.openshift.io/triggers: '[{"from":{"kind":"ImageStreamTag","name":"app:latest"},"fieldPath":"spec.template.spec.containers[?(@.name==\"web\")].image","paused":false}]'
        spec:
          replicas: 2
          selector:
            matchLabels:
              app: web
          template:
            metadata:
              labels:
                app: web
            spec:
              containers:
              - name: web
                image: placeholder
                ports:
                - containerPort: 8080
        """;

    [Fact]
    public async Task KubectlApply_StoresADeployment_GetDeployListsIt_AndItsImageFollowsTheTag()
    {
        // kubectl sends its token over HTTPS only.
        await using var server = await TestServer.StartAsync(tls: true);
        using var kubectl = new Support.Kubectl(server);
        var first = await MapAsync(server, "app", "latest", 'a');
        var file = Path.Combine(kubectl.Home, "deploy.yaml");
        await File.WriteAllTextAsync(file, DeploymentYaml);

        var created = (await kubectl.RunAsync("apply", "-f", file)).EnsureSuccess();
        var listed = (await kubectl.RunAsync("get", "deploy")).EnsureSuccess();
        await WaitForImageAsync(server, "web", first);
        var second = await MapAsync(server, "app", "latest", 'b');
        await WaitForImageAsync(server, "web", second);
        var image = (await kubectl.RunAsync("get", "deploy", "web", "-o", "jsonpath={.spec.template.spec.containers[0].image}")).EnsureSuccess();
        // The file's placeholder comes back with a second apply; the trigger puts the tag's image back.
        var reapplied = (await kubectl.RunAsync("apply", "-f", file)).EnsureSuccess();
        await WaitForImageAsync(server, "web", second);

        Assert.Equal("deployment.apps/web created", created.StandardOutput.Trim());
        var lines = listed.StandardOutput.Trim().Split('\n');
        Assert.StartsWith("NAME", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("web ", Assert.Single(lines[1..]), StringComparison.Ordinal);
        Assert.Equal(second, image.StandardOutput.Trim());
        Assert.Equal("deployment.apps/web configured", reapplied.StandardOutput.Trim());
        var stored = await server.GetAsync($"{DeploymentsPath}/web");
        Assert.Equal("2", stored["spec.replicas"]);
        Assert.Equal("8080", stored["spec.template.spec.containers[0].ports[0].containerPort"]);
    }

    [Fact]
    public async Task LocalReferencePolicy_GivesTheStreamsOwnRepository()
    {
        await using var server = await TestServer.StartAsync();
        var stream = await server.PostAsync("/apis/image.openshift.io/v1/namespaces/default/imagestreams", new JsonObject
        {
            ["apiVersion"] = "image.openshift.io/v1",
            ["kind"] = "ImageStream",
            ["metadata"] = new JsonObject { ["name"] = "app" },
            ["spec"] = new JsonObject
            {
                ["tags"] = new JsonArray(new JsonObject
                {
                    ["name"] = "latest",
                    ["from"] = new JsonObject { ["kind"] = "DockerImage", ["name"] = "registry.example.com/app:latest" },
                    ["reference"] = true,
                    ["referencePolicy"] = new JsonObject { ["type"] = "Local" },
                }),
            },
        });
        Assert.True(stream.Status == HttpStatusCode.Created, stream.Text);
        var digest = (await MapAsync(server, "app", "latest", 'c'))[^71..];
        var deployment = Deployment("web");

        Assert.Equal(HttpStatusCode.Created, (await server.PostAsync(DeploymentsPath, deployment)).Status);

        var repository = (await server.GetAsync("/apis/image.openshift.io/v1/namespaces/default/imagestreams/app"))["status.dockerImageRepository"];
        await WaitForImageAsync(server, "web", $"{repository}@{digest}");
    }

    [Fact]
    public async Task Workloads_AreInDiscovery_AndBodiesOfAnotherKindOrBadNamesAreRefused()
    {
        await using var server = await TestServer.StartAsync();

        var apps = await server.GetAsync("/apis/apps/v1");
        var batch = await server.GetAsync("/apis/batch/v1");
        var wrongKind = Deployment("web");
        wrongKind["kind"] = "StatefulSet";
        var refusedKind = await server.PostAsync(DeploymentsPath, wrongKind);
        var refusedName = await server.PostAsync(DeploymentsPath, Deployment("Not_A_Name"));
        var cronJob = await server.PostAsync("/apis/batch/v1/namespaces/default/cronjobs", new JsonObject
        {
            ["apiVersion"] = "batch/v1",
            ["kind"] = "CronJob",
            ["metadata"] = new JsonObject { ["name"] = "nightly" },
            ["spec"] = new JsonObject { ["schedule"] = "0 3 * * *" },
        });

        var shortNames = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var resource in apps.Object["resources"]!.AsArray().Concat(batch.Object["resources"]!.AsArray()))
        {
            if (resource!["shortNames"] is JsonArray names)
            {
                shortNames[resource["name"]!.GetValue<string>()] = names[0]!.GetValue<string>();
            }
        }
        Assert.Equal(new Dictionary<string, string> { ["deployments"] = "deploy", ["statefulsets"] = "sts", ["daemonsets"] = "ds", ["cronjobs"] = "cj" }, shortNames);
        Assert.Equal(HttpStatusCode.BadRequest, refusedKind.Status);
        Assert.Contains("does not match the expected kind (Deployment)", refusedKind["message"], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refusedName.Status);
        Assert.Equal(HttpStatusCode.Created, cronJob.Status);
        Assert.Equal("0 3 * * *", cronJob["spec.schedule"]);
    }

    private static JsonObject Deployment(string name) => new()
    {
        ["apiVersion"] = "apps/v1",
        ["kind"] = "Deployment",
        ["metadata"] = new JsonObject
        {
            ["name"] = name,
            ["annotations"] = new JsonObject
            {
                ["image.openshift.io/triggers"] = """[{"from":{"kind":"ImageStreamTag","name":"app:latest"},"fieldPath":"spec.template.spec.containers[?(@.name==\"web\")].image"}]""",
            },
        },
        ["spec"] = JsonNode.Parse("""{"template":{"spec":{"containers":[{"name":"web","image":"placeholder"}]}}}"""),
    };

    /// <summary>Maps a new image (its digest all <paramref name="fill"/>) to <c>stream:tag</c>, as a push does; returns its pull spec.</summary>
    private static async Task<string> MapAsync(TestServer server, string stream, string tag, char fill)
    {
        var digest = "sha256:" + new string(fill, 64);
        var reference = $"registry.example.com/{stream}@{digest}";
        var mapped = await server.PostAsync("/apis/image.openshift.io/v1/namespaces/default/imagestreammappings", new JsonObject
        {
            ["apiVersion"] = "image.openshift.io/v1",
            ["kind"] = "ImageStreamMapping",
            ["metadata"] = new JsonObject { ["name"] = stream },
            ["image"] = new JsonObject { ["metadata"] = new JsonObject { ["name"] = digest }, ["dockerImageReference"] = reference },
            ["tag"] = tag,
        });
        Assert.True(mapped.Status == HttpStatusCode.Created, mapped.Text);
        return reference;
    }

    private static async Task WaitForImageAsync(TestServer server, string name, string image)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var current = (await server.GetAsync($"{DeploymentsPath}/{name}"))["spec.template.spec.containers[0].image"];
            if (current == image)
            {
                return;
            }
            Assert.True(DateTime.UtcNow < deadline, $"deployment {name} has image {current}, not {image}");
            await Task.Delay(25);
        }
    }
}
