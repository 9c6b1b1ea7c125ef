using System.Text.Json.Nodes;
using ImageStreams.Testing.Processes;

namespace ImageStreams.Cli.Tests.EndToEnd;

/// <summary>
/// Seed 002 by hand with isctl and the real builders: httpd-base built from a local git repository on an image imported
/// from Debian's docker-registry, then app-a and app-b built on httpd-base:latest, each pushed into its own stream.
/// </summary>
[Collection(RegistryCollection.Name)]
public sealed class Seed002BuildTests(RegistryFixture fixture) : IDisposable
{
    private readonly CliRunner cli = new(fixture.Address, fixture.Token);
    private readonly TempDirectory sources = new("seed002-git");

    public void Dispose()
    {
        cli.Dispose();
        sources.Dispose();
    }

    [Fact]
    public async Task HttpdBaseThenAppAAndAppB_AreBuiltIntoTheirStreams_OnTheBaseTheyName()
    {
        var ns = $"seed002-{Guid.NewGuid():N}"[..16];
        Assert.Equal(0, (await cli.RunAsync("new-project", ns)).ExitCode);
        var httpdDigest = await fixture.PushAsync("library/httpd", "2.4", "httpd-2.4");
        var import = await cli.RunAsync("import-image", "httpd:2.4", "--from", $"{fixture.Registry.Host}/library/httpd:2.4", "--confirm");
        Assert.True(import.ExitCode == 0, import.ToString());
        var repository = await GitRepositoryAsync();

        var newBase = await cli.RunAsync("new-build", repository, "--context-dir", "httpd-base", "--name", "httpd-base");
        Assert.True(newBase.ExitCode == 0, newBase.ToString());
        Assert.Contains("buildconfig.build.openshift.io \"httpd-base\" created", newBase.Out, StringComparison.Ordinal);
        var baseLog = await cli.RunAsync("logs", "-f", "bc/httpd-base");
        var baseBuild = await BuildAsync("httpd-base-1");
        Assert.True(baseBuild["status"]!["phase"]!.GetValue<string>() == "Complete", baseBuild.ToJsonString() + baseLog);

        foreach (var app in new[] { "app-a", "app-b" })
        {
            var created = await cli.RunAsync("new-build", repository, "--context-dir", app, "--name", app);
            Assert.True(created.ExitCode == 0, created.ToString());
        }
        var appA = await WaitCompleteAsync("app-a-1");
        var appB = await WaitCompleteAsync("app-b-1");

        // The base was taken from the stream tag and recorded by digest, as OpenShift records it.
        Assert.Equal($"{fixture.Registry.Host}/library/httpd@{httpdDigest}", baseBuild["spec"]!["strategy"]!["dockerStrategy"]!["from"]!["name"]!.GetValue<string>());
        var baseDigest = baseBuild["status"]!["output"]!["to"]!["imageDigest"]!.GetValue<string>();
        foreach (var (app, build) in new[] { ("app-a", appA), ("app-b", appB) })
        {
            Assert.Equal($"{fixture.ServerHost}/{ns}/httpd-base@{baseDigest}", build["spec"]!["strategy"]!["dockerStrategy"]!["from"]!["name"]!.GetValue<string>());
            var describe = await cli.RunAsync("describe", "is", app);
            var digest = build["status"]!["output"]!["to"]!["imageDigest"]!.GetValue<string>();
            Assert.Contains($"* {fixture.ServerHost}/{ns}/{app}@{digest}", describe.Out, StringComparison.Ordinal);

            var manifest = await InspectRawAsync($"{fixture.ServerHost}/{ns}/{app}:latest");
            var baseManifest = await InspectRawAsync($"{fixture.ServerHost}/{ns}/httpd-base:latest");
            Assert.Equal(baseDigest, manifest["annotations"]!["org.opencontainers.image.base.digest"]!.GetValue<string>());
            var layers = Digests(manifest);
            var baseLayers = Digests(baseManifest);
            Assert.Equal(baseLayers.Count + 1, layers.Count);
            Assert.Equal(baseLayers, layers.Take(baseLayers.Count));
        }
        var commit = (await ProcessRunner.RunCheckedAsync("git", ["-C", repository, "rev-parse", "HEAD"])).StandardOutput.Trim();
        Assert.Equal(commit, baseBuild["spec"]!["revision"]!["git"]!["commit"]!.GetValue<string>());
        Assert.Matches($@"(?m)^httpd-base-1\s+Docker\s+Git@{commit[..7]}\s+Complete\s", (await cli.RunAsync("get", "builds")).Out);
        var describeBase = await cli.RunAsync("describe", "is", "httpd-base");
        Assert.Contains($"* {fixture.ServerHost}/{ns}/httpd-base@{baseDigest}", describeBase.Out, StringComparison.Ordinal);
        var describeConfig = await cli.RunAsync("describe", "bc", "httpd-base");
        Assert.Matches(@"From Image:\s+ImageStreamTag httpd:2.4", describeConfig.Out);
        Assert.Matches(@"httpd-base-1\s+complete\s+\d+s", describeConfig.Out);

        // Start build on httpd-base again: the same sources on the same base give the same image.
        var again = await cli.RunAsync("start-build", "httpd-base", "--wait");
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("build.build.openshift.io/httpd-base-2 started", again.Out, StringComparison.Ordinal);
        Assert.Equal(baseDigest, (await BuildAsync("httpd-base-2"))["status"]!["output"]!["to"]!["imageDigest"]!.GetValue<string>());
    }

    private Task<string> GitRepositoryAsync() =>
        Seed002.GitRepositoryAsync(sources.Combine("openshift-image-stream-example"), "FROM httpd:2.4\nLABEL io.k8s.display-name=\"httpd base\"\nCOPY httpd.conf /usr/local/apache2/conf/httpd.conf\n");

    private Task<JsonObject> BuildAsync(string name) => Seed002.BuildAsync(cli, name);

    private Task<JsonObject> WaitCompleteAsync(string name) => Seed002.WaitCompleteAsync(cli, name);

    private Task<JsonObject> InspectRawAsync(string reference) => Seed002.InspectRawAsync(reference, fixture.Token);

    private static List<string> Digests(JsonObject manifest) =>
        (manifest["layers"] as JsonArray)!.Select(l => l!["digest"]!.GetValue<string>()).ToList();
}
