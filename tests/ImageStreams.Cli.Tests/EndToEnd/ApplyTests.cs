using ImageStreams.Cli.Config;
using ImageStreams.Model.Serialization;

namespace ImageStreams.Cli.Tests.EndToEnd;

[Collection(ServerCollection.Name)]
public sealed class ApplyTests(ServerFixture server) : IDisposable
{
    private readonly CliRunner cli = new(server.Address, server.Token);

    public void Dispose() => cli.Dispose();

    [Fact]
    public async Task ApplyingAgain_IsUnchanged_AndApplyingAChange_IsConfigured()
    {
        var ns = await NewProjectAsync("apply");
        var file = cli.WriteFile("web.yaml", GetTests.Stream("web", "latest"));

        var first = await cli.RunAsync("apply", "-f", file);
        var second = await cli.RunAsync("apply", "-f", file);
        File.WriteAllText(file, GetTests.Stream("web", "latest", "1.0"));
        var third = await cli.RunAsync("apply", "-f", file);

        Assert.Equal("imagestream.image.openshift.io/web created\n", first.Out);
        Assert.Equal("imagestream.image.openshift.io/web unchanged\n", second.Out);
        Assert.Equal("imagestream.image.openshift.io/web configured\n", third.Out);
        var stream = Yaml.ParseDocuments((await cli.RunAsync("get", "is", "web", "-n", ns, "-o", "yaml")).Out).Single();
        Assert.Equal(["latest", "1.0"], stream["spec"]!["tags"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()));
    }

    [Fact]
    public async Task ApplyingAList_AppliesEachItem()
    {
        await NewProjectAsync("list");
        var file = cli.WriteFile("list.yaml", $"""
            apiVersion: v1
            kind: List
            items:
            - {Indent(GetTests.Stream("a"))}
            - {Indent(GetTests.Stream("b"))}
            """);

        var result = await cli.RunAsync("apply", "-f", file);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("imagestream.image.openshift.io/a created\nimagestream.image.openshift.io/b created\n", result.Out);
    }

    [Fact]
    public async Task AFileForAnotherNamespaceThanTheFlag_IsRefused()
    {
        var ns = await NewProjectAsync("other");
        var file = cli.WriteFile("elsewhere.yaml", GetTests.Stream("x").Replace("  name: x", "  name: x\n  namespace: elsewhere", StringComparison.Ordinal));

        var result = await cli.RunAsync("apply", "-n", ns, "-f", file);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("error: the namespace from the provided object \"elsewhere\" does not match the namespace \"" + ns +
                     "\"; pass '--namespace=elsewhere' to apply it there\n", result.Error);
    }

    [Fact]
    public async Task CreateThenDelete_ReportEachStep()
    {
        await NewProjectAsync("crud");
        var file = cli.WriteFile("db.yaml", GetTests.Stream("db"));

        var created = await cli.RunAsync("create", "-f", file);
        var again = await cli.RunAsync("create", "-f", file);
        var deleted = await cli.RunAsync("delete", "is", "db");
        var gone = await cli.RunAsync("get", "is", "db");

        Assert.Equal("imagestream.image.openshift.io/db created\n", created.Out);
        Assert.Equal(1, again.ExitCode);
        Assert.Equal("Error from server (AlreadyExists): imagestreams.image.openshift.io \"db\" already exists\n", again.Error);
        Assert.Equal("imagestream.image.openshift.io \"db\" deleted\n", deleted.Out);
        Assert.Equal(1, gone.ExitCode);
        Assert.Equal("Error from server (NotFound): imagestreams.image.openshift.io \"db\" not found\n", gone.Error);
    }

    [Fact]
    public async Task DeleteByFile_DeletesWhatTheFileDescribes()
    {
        await NewProjectAsync("delfile");
        var file = cli.WriteFile("a.yaml", GetTests.Stream("a"));
        await cli.RunAsync("create", "-f", file);

        var result = await cli.RunAsync("delete", "-f", file);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("imagestream.image.openshift.io \"a\" deleted\n", result.Out);
    }

    [Fact]
    public async Task DeletingAMissingStream_IsNotFound()
    {
        await NewProjectAsync("delmissing");

        var result = await cli.RunAsync("delete", "is", "nope");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("Error from server (NotFound): imagestreams.image.openshift.io \"nope\" not found\n", result.Error);
    }

    [Fact]
    public async Task CreateFromStandardInput_Works()
    {
        await NewProjectAsync("stdin");

        var result = await cli.RunWithInputAsync(GetTests.Stream("piped"), "create", "-f", "-", "-o", "name");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("imagestream.image.openshift.io/piped\n", result.Out);
    }

    [Fact]
    public async Task NewProject_BecomesTheNamespaceOfLaterCommands()
    {
        var ns = ServerFixture.UniqueNamespace("newproj");

        var result = await cli.RunAsync("new-project", ns);

        Assert.Equal($"Now using project \"{ns}\" on server \"{server.Address}\".\n", result.Out);
        Assert.Equal(ns, CliConfig.Load(cli.ConfigPath).Namespace);
        Assert.Equal($"No resources found in {ns} namespace.\n", (await cli.RunAsync("get", "is")).Error);
    }

    [Fact]
    public async Task NewProject_ThatExists_IsAlreadyExists()
    {
        var ns = await NewProjectAsync("dup");

        var result = await cli.RunAsync("new-project", ns);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("Error from server (AlreadyExists): ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnInvalidObject_GetsTheServersMessage()
    {
        await NewProjectAsync("invalid");
        var file = cli.WriteFile("bad.yaml", GetTests.Stream("Bad_Name"));

        var result = await cli.RunAsync("apply", "-f", file);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("Error from server (Invalid): ", result.Error, StringComparison.Ordinal);
        Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    private async Task<string> NewProjectAsync(string prefix)
    {
        var ns = ServerFixture.UniqueNamespace(prefix);
        var result = await cli.RunAsync("new-project", ns);
        Assert.True(result.ExitCode == 0, result.ToString());
        return ns;
    }

    private static string Indent(string document) => document.TrimEnd().Replace("\n", "\n  ", StringComparison.Ordinal);
}
