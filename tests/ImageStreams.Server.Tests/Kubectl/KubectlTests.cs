using System.Net;
using System.Text.Json.Nodes;
using ImageStreams.Model.Serialization;
using ImageStreams.Server.Tests.Support;
using static ImageStreams.Server.Tests.Support.Documents;

namespace ImageStreams.Server.Tests.Kubectl;

/// <summary>The real kubectl (1.32) works against the server: discovery, tables, apply, watch, delete.</summary>
public class KubectlTests
{
    [Fact]
    public async Task GetImageStreamsOfAllNamespaces_PrintsOcsColumns()
    {
        await using var server = await TestServer.StartAsync(tls: true);
        using var kubectl = new Support.Kubectl(server);
        await server.CreateNamespaceAsync("team");
        await server.PostAsync(StreamsPath("team"), Stream("web", ("v1", "quay.io/x/web:v1")));
        await server.PostAsync(StreamsPath("default"), Stream("db"));

        var result = (await kubectl.RunAsync("get", "is", "-A")).EnsureSuccess();

        var lines = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^NAMESPACE\s+NAME\s+IMAGE REPOSITORY\s+TAGS\s+UPDATED$", lines[0]);
        Assert.Matches($@"^default\s+db\s+{server.HostPort}/default/db\s*$", lines[1]);
        Assert.Matches($@"^team\s+web\s+{server.HostPort}/team/web\s*$", lines[2]);
    }

    [Fact]
    public async Task GetImageStreamAsYaml_PrintsTheObject()
    {
        await using var server = await TestServer.StartAsync(tls: true);
        using var kubectl = new Support.Kubectl(server);
        await server.PostAsync(StreamsPath("default"), Stream("web", ("v1", "quay.io/x/web:v1")));

        var result = (await kubectl.RunAsync("get", "is", "web", "-o", "yaml")).EnsureSuccess();

        var stream = Yaml.ParseDocuments(result.StandardOutput).Single();
        Assert.Equal("web", stream["metadata"]!["name"]!.GetValue<string>());
        Assert.Equal("quay.io/x/web:v1", stream["spec"]!["tags"]![0]!["from"]!["name"]!.GetValue<string>());
        Assert.Equal($"{server.HostPort}/default/web", stream["status"]!["dockerImageRepository"]!.GetValue<string>());
    }

    [Fact]
    public async Task Apply_CreatesThenChanges_TheSeedDocument()
    {
        await using var server = await TestServer.StartAsync(tls: true);
        using var kubectl = new Support.Kubectl(server);
        (await kubectl.RunAsync("create", "namespace", "araszka-playground")).EnsureSuccess();
        var changed = Path.Combine(kubectl.Home, "changed.yaml");
        await File.WriteAllTextAsync(changed, (await File.ReadAllTextAsync(SeedPath)).Replace("rhel7:latest", "rhel7:7.9", StringComparison.Ordinal));

        var created = (await kubectl.RunAsync("apply", "-f", SeedPath)).EnsureSuccess();
        var unchanged = (await kubectl.RunAsync("apply", "-f", SeedPath)).EnsureSuccess();
        var configured = (await kubectl.RunAsync("apply", "-f", changed)).EnsureSuccess();

        Assert.Equal("imagestream.image.openshift.io/rhel7 created", created.StandardOutput.Trim());
        Assert.Contains("imagestream.image.openshift.io/rhel7", unchanged.StandardOutput, StringComparison.Ordinal);
        Assert.Equal("imagestream.image.openshift.io/rhel7 configured", configured.StandardOutput.Trim());
        var stream = await server.GetAsync(StreamsPath("araszka-playground") + "/rhel7");
        Assert.Equal("registry.access.redhat.com/rhel7:7.9", stream["spec.tags[0].from.name"]);
        Assert.Equal("2", stream["metadata.generation"]);
        Assert.Equal("2", stream["spec.tags[0].generation"]);
    }

    [Fact]
    public async Task ApplyOfAnInvalidDocument_FailsWithTheFieldErrors()
    {
        await using var server = await TestServer.StartAsync(tls: true);
        using var kubectl = new Support.Kubectl(server);
        var invalid = Path.Combine(kubectl.Home, "invalid.yaml");
        await File.WriteAllTextAsync(invalid, """
            apiVersion: image.openshift.io/v1
            kind: ImageStream
            metadata:
              name: web
            spec:
              tags:
              - name: latest
                from: {kind: ImageStreamTag, name: "other:1"}
                importPolicy: {scheduled: true}
            """);

        var result = await kubectl.RunAsync("apply", "-f", invalid);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("is invalid", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("spec.tags[0].importPolicy.scheduled", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delete_RemovesTheImageStream()
    {
        await using var server = await TestServer.StartAsync(tls: true);
        using var kubectl = new Support.Kubectl(server);
        await server.PostAsync(StreamsPath("default"), Stream("web"));

        var result = (await kubectl.RunAsync("delete", "is", "web")).EnsureSuccess();

        Assert.Equal("imagestream.image.openshift.io \"web\" deleted", result.StandardOutput.Trim());
        Assert.Equal(HttpStatusCode.NotFound, (await server.GetAsync(StreamsPath("default") + "/web")).Status);
    }

    [Fact]
    public async Task GetWithWatch_PrintsALineForEachChange()
    {
        await using var server = await TestServer.StartAsync(tls: true);
        using var kubectl = new Support.Kubectl(server);
        await server.PostAsync(StreamsPath("default"), Stream("web"));
        var lines = new List<string>();
        var seen = new SemaphoreSlim(0);
        using var watch = kubectl.Start(line => { lock (lines) { lines.Add(line); } seen.Release(); }, "get", "is", "-w");
        try
        {
            await WaitForAsync(lines, seen, l => l.StartsWith("web", StringComparison.Ordinal));
            await server.PostAsync(StreamsPath("default"), Stream("api", ("v1", "quay.io/x/api:v1")));

            await WaitForAsync(lines, seen, l => l.StartsWith("api", StringComparison.Ordinal));
        }
        finally
        {
            watch.Kill(entireProcessTree: true);
            await watch.WaitForExitAsync();
        }
        Assert.Matches(@"^NAME\s+IMAGE REPOSITORY\s+TAGS\s+UPDATED$", lines[0]);
        Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, $@"^api\s+{server.HostPort}/default/api"));
    }

    [Fact]
    public async Task CreateNamespace_ThenGetNamespaces_ListsItActive()
    {
        await using var server = await TestServer.StartAsync(tls: true);
        using var kubectl = new Support.Kubectl(server);

        var created = (await kubectl.RunAsync("create", "namespace", "team-a")).EnsureSuccess();
        var list = (await kubectl.RunAsync("get", "ns")).EnsureSuccess();

        Assert.Equal("namespace/team-a created", created.StandardOutput.Trim());
        var lines = list.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^NAME\s+STATUS\s+AGE$", lines[0]);
        Assert.Matches(@"^default\s+Active\s+\d+s$", lines[1]);
        Assert.Matches(@"^team-a\s+Active\s+\d+s$", lines[2]);
    }

    [Fact]
    public async Task CreateDockerRegistrySecret_StoresAPullSecret()
    {
        await using var server = await TestServer.StartAsync(tls: true);
        using var kubectl = new Support.Kubectl(server);

        (await kubectl.RunAsync("create", "secret", "docker-registry", "pull", "--docker-server=quay.io", "--docker-username=u", "--docker-password=p")).EnsureSuccess();
        var list = (await kubectl.RunAsync("get", "secrets")).EnsureSuccess();

        var secret = await server.GetAsync("/api/v1/namespaces/default/secrets/pull");
        Assert.Equal("kubernetes.io/dockerconfigjson", secret["type"]);
        var config = JsonNode.Parse(Convert.FromBase64String(secret.Object["data"]![".dockerconfigjson"]!.GetValue<string>()))!;
        Assert.Equal("u", config["auths"]!["quay.io"]!["username"]!.GetValue<string>());
        Assert.Matches(@"pull\s+kubernetes.io/dockerconfigjson\s+1\s+", list.StandardOutput);
    }

    private static async Task WaitForAsync(List<string> lines, SemaphoreSlim seen, Func<string, bool> match)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            lock (lines)
            {
                if (lines.Any(match))
                {
                    return;
                }
            }
            try
            {
                await seen.WaitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                lock (lines)
                {
                    throw new TimeoutException("kubectl printed no matching line; it printed:\n" + string.Join('\n', lines));
                }
            }
        }
    }
}
