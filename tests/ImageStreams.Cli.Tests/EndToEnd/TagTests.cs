using System.Text.Json.Nodes;

namespace ImageStreams.Cli.Tests.EndToEnd;

[Collection(RegistryCollection.Name)]
public sealed class TagTests(RegistryFixture fixture) : IDisposable
{
    private readonly CliRunner cli = new(fixture.Address, fixture.Token);

    private string Registry => fixture.Registry.Host;

    public void Dispose() => cli.Dispose();

    [Fact]
    public async Task TagOfAStreamTag_CopiesItsImageWhileAnAliasFollowsTheTag()
    {
        var ns = await NewProjectAsync("tagcopy");
        var first = await ImportAsync("base", "1");

        var copy = await cli.RunAsync("tag", "base:latest", "base:stable");
        var alias = await cli.RunAsync("tag", "--alias", "base:latest", "base:current");

        Assert.True(copy.ExitCode == 0, copy.ToString());
        Assert.Equal($"Tag base:stable set to base@{first}.\n", copy.Out);
        Assert.True(alias.ExitCode == 0, alias.ToString());
        Assert.Equal("Tag base:current set up to track base:latest.\n", alias.Out);
        var stable = await ImageOfAsync(ns, "base:stable", first);
        Assert.Equal("ImageStreamImage", stable["tag"]!["from"]!["kind"]!.GetValue<string>());
        Assert.Equal($"base@{first}", stable["tag"]!["from"]!["name"]!.GetValue<string>());
        await ImageOfAsync(ns, "base:current", first);

        // The source moves: the alias follows it, the copy stays where it was.
        var second = await fixture.PushAsync("base", "latest", "2");
        Assert.Equal(0, (await cli.RunAsync("import-image", "base")).ExitCode);

        await ImageOfAsync(ns, "base:current", second);
        await ImageOfAsync(ns, "base:stable", first);
        var described = await cli.RunAsync("describe", "is", "base");
        Assert.Contains($"latest (current)\n  tagged from {Registry}/base:latest\n", described.Out, StringComparison.Ordinal);
        Assert.Contains($"stable\n  tagged from base@{first}\n", described.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TagOfARegistryImage_Scheduled_IsImportedAndKeptUpToDate()
    {
        var ns = await NewProjectAsync("tagsched");
        var digest = await fixture.PushAsync("sched", "1.0", "1");

        var result = await cli.RunAsync("tag", "--scheduled", $"{Registry}/sched:1.0", "app:1.0");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal($"Tag app:1.0 set to import {Registry}/sched:1.0 periodically.\n", result.Out);
        await ImageOfAsync(ns, "app:1.0", digest);
        var described = await cli.RunAsync("describe", "is", "app");
        Assert.Contains($"1.0\n  updates automatically from registry {Registry}/sched:1.0\n", described.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TagIntoAnotherNamespace_NamesItAndCreatesTheStreamThere()
    {
        var ns = await NewProjectAsync("tagfrom");
        var other = ServerFixture.UniqueNamespace("tagto");
        await EnsureNamespaceAsync(other);
        var digest = await ImportAsync("shared", "1");

        var result = await cli.RunAsync("tag", "shared:latest", $"{other}/shared:prod");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal($"Tag {other}/shared:prod set to shared@{digest}.\n", result.Out);
        var tag = await ImageOfAsync(other, "shared:prod", digest);
        Assert.Equal(ns, tag["tag"]!["from"]!["namespace"]!.GetValue<string>());
    }

    [Fact]
    public async Task TagDelete_RemovesTheTagAndSaysSo()
    {
        var ns = await NewProjectAsync("tagdel");
        await ImportAsync("gone", "1");
        Assert.Equal(0, (await cli.RunAsync("tag", "gone:latest", "gone:old")).ExitCode);

        var result = await cli.RunAsync("tag", "-d", "gone:old");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal($"Deleted tag {ns}/gone:old.\n", result.Out);
        var missing = await cli.RunAsync("get", "istag", "gone:old");
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("NotFound", missing.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TagWithImportFlagsForAStreamSource_IsRefusedBeforeAnythingIsWritten()
    {
        await NewProjectAsync("tagbad");
        await ImportAsync("strict", "1");

        var result = await cli.RunAsync("tag", "--scheduled", "strict:latest", "strict:copy");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("error: only container images can have importing flags set\n", result.Error);
        Assert.Equal(1, (await cli.RunAsync("get", "istag", "strict:copy")).ExitCode);
    }

    /// <summary>Imports <c>registry/NAME:latest</c> (pushed first) into stream NAME and returns its digest.</summary>
    private async Task<string> ImportAsync(string name, string release)
    {
        var digest = await fixture.PushAsync(name, "latest", release);
        var imported = await cli.RunAsync("import-image", name, "--from", $"{Registry}/{name}:latest", "--confirm");
        Assert.True(imported.ExitCode == 0, imported.ToString());
        return digest;
    }

    /// <summary>Waits until the stream tag points at <paramref name="digest"/> (controllers do this in the background).</summary>
    private Task<JsonObject> ImageOfAsync(string ns, string istag, string digest) =>
        RegistryFixture.WaitForAsync(cli, ns, ["istag", istag], tag => tag["image"]?["metadata"]?["name"]?.GetValue<string>() == digest);

    private async Task<string> NewProjectAsync(string prefix)
    {
        var ns = ServerFixture.UniqueNamespace(prefix);
        var created = await cli.RunAsync("new-project", ns);
        Assert.True(created.ExitCode == 0, created.ToString());
        return ns;
    }

    private async Task EnsureNamespaceAsync(string ns)
    {
        var file = cli.WriteFile($"{ns}.yaml", $"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {ns}\n");
        var applied = await cli.RunAsync("apply", "-f", file);
        Assert.True(applied.ExitCode == 0, applied.ToString());
    }
}
