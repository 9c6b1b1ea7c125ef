using System.Text.Json.Nodes;
using ImageStreams.Testing.Processes;

namespace ImageStreams.Cli.Tests.EndToEnd;

/// <summary>
/// Seed 002's cascade with the real server, builders and isctl: httpd-base is rebuilt from a changed git repository
/// ("Start build" in the console), and app-a and app-b, built on httpd-base:latest, are rebuilt once each by their image
/// change triggers, on the new base; nothing else runs.
/// </summary>
[Collection(RegistryCollection.Name)]
public sealed class Seed002TriggerTests(RegistryFixture fixture) : IDisposable
{
    private readonly CliRunner cli = new(fixture.Address, fixture.Token);
    private readonly TempDirectory sources = new("seed002-triggers");

    public void Dispose()
    {
        cli.Dispose();
        sources.Dispose();
    }

    [Fact]
    public async Task StartBuildOfHttpdBase_RebuildsAppAAndAppBOnceEach_OnTheNewBase()
    {
        var ns = $"seed002t-{Guid.NewGuid():N}"[..17];
        Assert.Equal(0, (await cli.RunAsync("new-project", ns)).ExitCode);
        await fixture.PushAsync("library/httpd", "2.4", "httpd-2.4-triggers");
        var import = await cli.RunAsync("import-image", "httpd:2.4", "--from", $"{fixture.Registry.Host}/library/httpd:2.4", "--confirm");
        Assert.True(import.ExitCode == 0, import.ToString());
        var repository = await GitRepositoryAsync();

        Assert.Equal(0, (await cli.RunAsync("new-build", repository, "--context-dir", "httpd-base", "--name", "httpd-base")).ExitCode);
        await WaitCompleteAsync("httpd-base-1");
        foreach (var app in new[] { "app-a", "app-b" })
        {
            var created = await cli.RunAsync("new-build", repository, "--context-dir", app, "--name", app);
            Assert.True(created.ExitCode == 0, created.ToString());
        }
        await WaitCompleteAsync("app-a-1");
        await WaitCompleteAsync("app-b-1");
        var describe = await cli.RunAsync("describe", "is", "httpd-base");
        Assert.Contains("triggers buildconfig/app-a, buildconfig/app-b", describe.Out, StringComparison.Ordinal);
        var triggers = await cli.RunAsync("set", "triggers", "bc/app-a");
        Assert.Matches(@"image\s+httpd-base:latest\s+true", triggers.Out);

        // A fix in the base: change it, then Start build on httpd-base.
        await File.WriteAllTextAsync(Path.Combine(repository, "httpd-base", "httpd.conf"), "ServerName localhost\nListen 8080\nServerTokens Prod\n");
        await GitAsync(repository, "commit", "-q", "-am", "harden httpd");
        var started = await cli.RunAsync("start-build", "httpd-base", "--wait");
        Assert.True(started.ExitCode == 0, started.ToString());
        var newBase = (await BuildAsync("httpd-base-2"))["status"]!["output"]!["to"]!["imageDigest"]!.GetValue<string>();

        var appA = await WaitCompleteAsync("app-a-2");
        var appB = await WaitCompleteAsync("app-b-2");
        foreach (var (app, build) in new[] { ("app-a", appA), ("app-b", appB) })
        {
            var cause = build["spec"]!["triggeredBy"]![0]!;
            Assert.Equal("Image change", cause["message"]!.GetValue<string>());
            Assert.Equal($"{fixture.ServerHost}/{ns}/httpd-base@{newBase}", cause["imageChangeBuild"]!["imageID"]!.GetValue<string>());
            var manifest = await InspectRawAsync($"{fixture.ServerHost}/{ns}/{app}:latest");
            Assert.Equal(newBase, manifest["annotations"]!["org.opencontainers.image.base.digest"]!.GetValue<string>());
        }

        // Nothing else runs: no third build of the apps, no second run of anything.
        await Task.Delay(TimeSpan.FromSeconds(2));
        var builds = await cli.RunAsync("get", "builds", "-o", "name");
        Assert.Equal(
            ["build.build.openshift.io/app-a-1", "build.build.openshift.io/app-a-2", "build.build.openshift.io/app-b-1", "build.build.openshift.io/app-b-2",
             "build.build.openshift.io/httpd-base-1", "build.build.openshift.io/httpd-base-2"],
            builds.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task SetTriggers_ThatWouldCloseACycle_IsRefusedNamingIt()
    {
        var ns = $"cycle-{Guid.NewGuid():N}"[..14];
        Assert.Equal(0, (await cli.RunAsync("new-project", ns)).ExitCode);
        foreach (var (name, to) in new[] { ("a", "y:latest"), ("b", "x:latest") })
        {
            var yaml = $"""
                apiVersion: build.openshift.io/v1
                kind: BuildConfig
                metadata:
                  name: {name}
                spec:
                  source:
                    dockerfile: "FROM scratch"
                  strategy:
                    dockerStrategy:
                      noCache: true
                  output:
                    to:
                      kind: ImageStreamTag
                      name: "{to}"
                """;
            Assert.Equal(0, (await cli.RunWithInputAsync(yaml, "create", "-f", "-")).ExitCode);
        }
        Assert.Equal(0, (await cli.RunAsync("set", "triggers", "bc/a", "--from-image=x:latest")).ExitCode);

        var refused = await cli.RunAsync("set", "triggers", "bc/b", "--from-image=y:latest");

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains($"image change triggers would form a cycle: buildconfig {ns}/b outputs to {ns}/x:latest, which triggers buildconfig {ns}/a, " +
            $"which outputs to {ns}/y:latest, which triggers buildconfig {ns}/b", refused.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", refused.Error, StringComparison.Ordinal);
        var bad = await cli.RunAsync("set", "triggers", "bc/a", "--from-image=nocolon");
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("--from-image must be STREAM:TAG", bad.Error, StringComparison.Ordinal);
        var removed = await cli.RunAsync("set", "triggers", "bc/a", "--from-image=x:latest", "--remove");
        Assert.Equal(0, removed.ExitCode);
        Assert.Equal(0, (await cli.RunAsync("set", "triggers", "bc/b", "--from-image=y:latest")).ExitCode);
    }

    private Task<string> GitRepositoryAsync() =>
        Seed002.GitRepositoryAsync(sources.Combine("openshift-image-stream-example"), "FROM httpd:2.4\nCOPY httpd.conf /usr/local/apache2/conf/httpd.conf\n");

    private static Task GitAsync(string path, params string[] args) => Seed002.GitAsync(path, args);

    private Task<JsonObject> BuildAsync(string name) => Seed002.BuildAsync(cli, name);

    private Task<JsonObject> WaitCompleteAsync(string name) => Seed002.WaitCompleteAsync(cli, name);

    private Task<JsonObject> InspectRawAsync(string reference) => Seed002.InspectRawAsync(reference, fixture.Token);
}
