using System.Text.RegularExpressions;
using ImageStreams.Model.Serialization;

namespace ImageStreams.Cli.Tests.EndToEnd;

[Collection(ServerCollection.Name)]
public sealed class GetTests(ServerFixture server) : IDisposable
{
    private static readonly string SeedPath = Path.Combine(AppContext.BaseDirectory, "testdata", "seed000-rhel7.yaml");

    private readonly CliRunner cli = new(server.Address, server.Token);

    public void Dispose() => cli.Dispose();

    [Fact]
    public async Task TheSeedAppliedIntoANewProject_ShowsItsSpecAndComputedRepositoryAsYaml()
    {
        // The seed names its namespace; the project is created first, as the user would with oc.
        var created = await cli.RunAsync("new-project", "araszka-playground");
        Assert.True(created.ExitCode == 0, created.ToString());

        var applied = await cli.RunAsync("apply", "-f", SeedPath);
        Assert.True(applied.ExitCode == 0, applied.ToString());
        Assert.Equal("imagestream.image.openshift.io/rhel7 created\n", applied.Out);

        var result = await cli.RunAsync("get", "is", "rhel7", "-o", "yaml");

        Assert.True(result.ExitCode == 0, result.ToString());
        var stream = Yaml.ParseDocuments(result.Out).Single();
        Assert.Equal("ImageStream", stream["kind"]!.GetValue<string>());
        Assert.Equal("araszka-playground", stream["metadata"]!["namespace"]!.GetValue<string>());
        var tag = stream["spec"]!["tags"]![0]!;
        Assert.Equal("latest", tag["name"]!.GetValue<string>());
        Assert.Equal("registry.access.redhat.com/rhel7:latest", tag["from"]!["name"]!.GetValue<string>());
        Assert.True(tag["importPolicy"]!["scheduled"]!.GetValue<bool>());
        Assert.Equal($"{server.HostPort}/araszka-playground/rhel7", stream["status"]!["dockerImageRepository"]!.GetValue<string>());
        // The server's own identity, not the file's.
        Assert.NotEqual("c5f28e85-5f76-11e9-8b0f-fa163e006653", stream["metadata"]!["uid"]!.GetValue<string>());
        // kubectl's key order.
        Assert.StartsWith("apiVersion: image.openshift.io/v1\nkind: ImageStream\nmetadata:\n", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetIs_PrintsOcsColumns()
    {
        var ns = await NewProjectAsync("cols");
        await ApplyAsync(ns, Stream("web", "latest", "1.0", "2.0"), Stream("db"));

        var result = await cli.RunAsync("get", "is");

        Assert.True(result.ExitCode == 0, result.ToString());
        // Columns are as wide as their widest cell plus 3; UPDATED depends on the server's timing, so only its header is fixed.
        var repositoryWidth = $"{server.HostPort}/{ns}/web".Length + 3;
        var tagsWidth = "latest,2.0,1.0".Length + 3;
        var lines = result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.Equal("NAME   " + "IMAGE REPOSITORY".PadRight(repositoryWidth) + "TAGS".PadRight(tagsWidth) + "UPDATED", lines[0]);
        Assert.StartsWith("db     " + $"{server.HostPort}/{ns}/db".PadRight(repositoryWidth) + "".PadRight(tagsWidth), lines[1], StringComparison.Ordinal);
        Assert.StartsWith("web    " + $"{server.HostPort}/{ns}/web".PadRight(repositoryWidth) + "latest,2.0,1.0".PadRight(tagsWidth), lines[2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetWithAllNamespaces_AddsANamespaceColumn()
    {
        var first = await NewProjectAsync("all-a");
        var second = await NewProjectAsync("all-b");
        await ApplyAsync(first, Stream("one"));
        await ApplyAsync(second, Stream("two"));

        var result = await cli.RunAsync("get", "is", "-A");

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches("^NAMESPACE +NAME +IMAGE REPOSITORY +TAGS +UPDATED$", lines[0]);
        Assert.Contains(lines, l => Regex.IsMatch(l, $"^{first} +one +{Regex.Escape(server.HostPort)}/{first}/one"));
        Assert.Contains(lines, l => Regex.IsMatch(l, $"^{second} +two +{Regex.Escape(server.HostPort)}/{second}/two"));
    }

    [Fact]
    public async Task GetOfAMissingStream_IsNotFound()
    {
        await NewProjectAsync("missing");

        var result = await cli.RunAsync("get", "is", "nope");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("Error from server (NotFound): imagestreams.image.openshift.io \"nope\" not found\n", result.Error);
    }

    [Fact]
    public async Task GetOfAnEmptyNamespace_SaysNoResourcesFound()
    {
        var ns = await NewProjectAsync("empty");

        var result = await cli.RunAsync("get", "is");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("", result.Out);
        Assert.Equal($"No resources found in {ns} namespace.\n", result.Error);
    }

    [Fact]
    public async Task AListAsJson_IsAKubectlList()
    {
        var ns = await NewProjectAsync("json");
        await ApplyAsync(ns, Stream("a"), Stream("b"));

        var result = await cli.RunAsync("get", "is", "-o", "json");

        Assert.True(result.ExitCode == 0, result.ToString());
        var list = System.Text.Json.Nodes.JsonNode.Parse(result.Out)!;
        Assert.Equal("List", list["kind"]!.GetValue<string>());
        Assert.Equal(["a", "b"], list["items"]!.AsArray().Select(i => i!["metadata"]!["name"]!.GetValue<string>()));
        Assert.Equal("ImageStream", list["items"]![0]!["kind"]!.GetValue<string>());
        Assert.StartsWith("{\n    \"apiVersion\": \"v1\",", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OutputName_PrintsTypeSlashName()
    {
        var ns = await NewProjectAsync("names");
        await ApplyAsync(ns, Stream("a"));

        var result = await cli.RunAsync("get", "is/a", "ns/" + ns, "-o", "name");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal($"imagestream.image.openshift.io/a\nnamespace/{ns}\n", result.Out);
    }

    [Fact]
    public async Task Namespaces_ShowTheirStatusAndAge()
    {
        var ns = await NewProjectAsync("nstable");

        var result = await cli.RunAsync("get", "ns", ns);

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches("^NAME +STATUS +AGE$", lines[0]);
        Assert.Matches($"^{ns} +Active +[0-9]+s$", lines[1]);
    }

    [Fact]
    public async Task Watch_PrintsStreamsAsTheyChange()
    {
        var ns = await NewProjectAsync("watch");
        await ApplyAsync(ns, Stream("before"));
        await using var watch = cli.Start("get", "is", "-w", "-n", ns);
        await watch.WaitForOutputAsync("before");

        await ApplyAsync(ns, Stream("after", "latest"));
        await watch.WaitForOutputAsync("after");
        var result = await watch.StopAsync();

        Assert.Equal(0, result.ExitCode);
        var lines = result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches("^NAME +IMAGE REPOSITORY +TAGS +UPDATED$", lines[0]);
        Assert.Single(lines, l => l.StartsWith("NAME", StringComparison.Ordinal));
        Assert.Matches("^after +\\S+ +latest", lines[^1]);
    }

    private async Task<string> NewProjectAsync(string prefix)
    {
        var ns = ServerFixture.UniqueNamespace(prefix);
        var result = await cli.RunAsync("new-project", ns);
        Assert.True(result.ExitCode == 0, result.ToString());
        return ns;
    }

    private async Task ApplyAsync(string ns, params string[] documents)
    {
        var file = cli.WriteFile($"{Guid.NewGuid():N}.yaml", string.Join("---\n", documents));
        var result = await cli.RunAsync("apply", "-n", ns, "-f", file);
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    internal static string Stream(string name, params string[] tags) =>
        $"""
        apiVersion: image.openshift.io/v1
        kind: ImageStream
        metadata:
          name: {name}
        spec:
          tags:{(tags.Length == 0 ? " []" : "")}
        {string.Concat(tags.Select(t => $"  - name: \"{t}\"\n    from: {{kind: DockerImage, name: \"registry.example.com/{name}:{t}\"}}\n    reference: true\n"))}
        """;
}
