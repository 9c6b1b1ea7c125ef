using System.Text.Json.Nodes;
using ImageStreams.Builder;
using ImageStreams.Registry.References;
using ImageStreams.Server;
using ImageStreams.Testing.Processes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ImageStreams.Cli.Tests.EndToEnd;

/// <summary>
/// The build verbs against a real server whose image builder waits until the test lets it finish, so a build can be
/// watched, followed and cancelled while it runs (the images themselves are the seed test's concern).
/// </summary>
public sealed class BuildCommandTests : IAsyncLifetime
{
    private readonly TempDirectory data = new("isctl-builds");
    private readonly HeldBuilder builder = new();
    private ImageStreamsServer server = null!;
    private CliRunner cli = null!;

    public async Task InitializeAsync()
    {
        server = await ImageStreamsServer.StartAsync(new ServerOptions { Listen = "127.0.0.1:0", DataDir = data.Path }, services =>
        {
            services.RemoveAll<IImageBuilder>();
            services.AddSingleton<IImageBuilder>(builder);
        });
        cli = new CliRunner(server.BaseAddress.ToString().TrimEnd('/'), server.AdminToken);
    }

    public async Task DisposeAsync()
    {
        cli.Dispose();
        await server.DisposeAsync();
        data.Dispose();
    }

    [Fact]
    public async Task NewBuildWithInlineDockerfile_CreatesStreamAndConfig_AndStartsTheFirstBuild()
    {
        var result = await cli.RunAsync("new-build", "--name", "web", "--dockerfile", "FROM registry.example.com/base:1\nLABEL a=b\n");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("""
            --> Creating resources with label build=web ...
                imagestream.image.openshift.io "web" created
                buildconfig.build.openshift.io "web" created
            --> Success
                Build configuration "web" created and build triggered.
                Run 'isctl logs -f bc/web' to stream the build progress.

            """, result.Out);
        var config = JsonNode.Parse((await cli.RunAsync("get", "bc", "web", "-o", "json")).Out)!;
        Assert.Equal("DockerImage", config["spec"]!["strategy"]!["dockerStrategy"]!["from"]!["kind"]!.GetValue<string>());
        Assert.Equal("registry.example.com/base:1", config["spec"]!["strategy"]!["dockerStrategy"]!["from"]!["name"]!.GetValue<string>());
        Assert.Equal("web:latest", config["spec"]!["output"]!["to"]!["name"]!.GetValue<string>());
        Assert.Equal(1, config["status"]!["lastVersion"]!.GetValue<long>());
        builder.Release();
    }

    [Fact]
    public async Task StartBuildFromDir_FollowsTheLog_AndGetBuildsShowsIt()
    {
        Assert.Equal(0, (await cli.RunAsync("new-build", "--binary", "--name", "site")).ExitCode);
        var dir = Directory.CreateDirectory(Path.Combine(data.Path, "site-src")).FullName;
        await File.WriteAllTextAsync(Path.Combine(dir, "Dockerfile"), "FROM scratch\nCOPY index.html /\n");
        await File.WriteAllTextAsync(Path.Combine(dir, "index.html"), "hi");
        builder.Release();

        var result = await cli.RunAsync("start-build", "site", "--from-dir", dir, "--follow");
        var builds = await cli.RunAsync("get", "builds");
        var describe = await cli.RunAsync("describe", "build/site-1");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("build.build.openshift.io/site-1 started", result.Out, StringComparison.Ordinal);
        Assert.Contains("building with Dockerfile, index.html", result.Out, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^NAME\s+TYPE\s+FROM\s+STATUS\s+STARTED\s+DURATION$", builds.Out);
        Assert.Matches(@"(?m)^site-1\s+Docker\s+Binary\s+Complete\s+.+ ago\s+\d+s$", builds.Out);
        Assert.Matches(@"(?m)^Status:\s+Complete$", describe.Out);
        Assert.Matches(@"(?m)^Build Config:\s+site$", describe.Out);
        Assert.Matches(@"(?m)^Output to:\s+ImageStreamTag site:latest$", describe.Out);
        Assert.Matches(@"(?m)^Build trigger cause:\s+Manually triggered$", describe.Out);
    }

    [Fact]
    public async Task CancelBuild_StopsTheRunningBuild()
    {
        Assert.Equal(0, (await cli.RunAsync("new-build", "--name", "slow", "--dockerfile", "FROM scratch\n")).ExitCode);
        await builder.StartedAsync("slow");

        var result = await cli.RunAsync("cancel-build", "slow-1");
        var again = await cli.RunAsync("cancel-build", "slow-1");
        var log = await cli.RunAsync("logs", "build/slow-1");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("""
            build.build.openshift.io/slow-1 marked for cancellation, waiting to be cancelled
            build.build.openshift.io/slow-1 cancelled

            """, result.Out);
        Assert.Equal(1, again.ExitCode);
        Assert.Equal("error: build default/slow-1 has already ended (Cancelled) and cannot be cancelled\n", again.Error);
        Assert.Contains("building with", log.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartBuildWait_OfAFailingBuild_ExitsNonZeroWithTheReason()
    {
        Assert.Equal(0, (await cli.RunAsync("new-build", "--name", "broken", "--dockerfile", "FROM scratch\nRUN false\n")).ExitCode);
        builder.Release(2);

        var result = await cli.RunAsync("start-build", "broken", "--wait");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("build.build.openshift.io/broken-2 started", result.Out, StringComparison.Ordinal);
        Assert.Equal("error: build broken-2 failed: RUN needs buildah\n", result.Error);
    }

    [Theory]
    [InlineData(new[] { "start-build", "nope" }, "Error from server (NotFound): buildconfigs.build.openshift.io \"nope\" not found")]
    [InlineData(new[] { "logs", "is/x" }, "error: logs works on builds and buildconfigs, not imagestreams")]
    [InlineData(new[] { "logs", "nobuild" }, "error: logs needs TYPE/NAME, such as build/nobuild or bc/nobuild")]
    [InlineData(new[] { "new-build", "/no/such/dir" }, "error: the source \"/no/such/dir\" is neither a git URL nor a directory")]
    [InlineData(new[] { "new-build", "--strategy", "source", "--name", "s", "--dockerfile", "FROM x" }, "error: --strategy=source needs the builder image: --image-stream or --docker-image")]
    [InlineData(new[] { "start-build", "x", "--from-dir", "a", "--from-file", "b" }, "error: only one of --from-dir, --from-file and --from-archive may be given")]
    [InlineData(new[] { "cancel-build", "ghost-1" }, "Error from server (NotFound): builds.build.openshift.io \"ghost-1\" not found")]
    public async Task BadInput_IsOneLineAndExitCodeOne(string[] args, string message)
    {
        var result = await cli.RunAsync(args);

        Assert.True(result.ExitCode == 1 && result.Error == message + "\n", result.ToString());
    }

    [Fact]
    public async Task StartBuildOfABinaryConfig_WithoutInput_SaysHowToStartIt()
    {
        Assert.Equal(0, (await cli.RunAsync("new-build", "--binary", "--name", "bin", "--docker-image", "registry.example.com/base:1")).ExitCode);

        var result = await cli.RunAsync("start-build", "bin");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("has a binary source: start it with its input", result.Error, StringComparison.Ordinal);
    }

    /// <summary>Lists its context and waits for the test before it finishes; a Dockerfile with RUN fails as the native builder would.</summary>
    private sealed class HeldBuilder : IImageBuilder
    {
        private readonly SemaphoreSlim gate = new(0);
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, TaskCompletionSource> started = new();

        public void Release(int count = 1) => gate.Release(count);

        public Task StartedAsync(string stream) => Started(stream).Task.WaitAsync(TimeSpan.FromSeconds(30));

        public async Task<BuildResult> BuildAsync(BuildRequest request, TextWriter log, CancellationToken cancellationToken = default)
        {
            var files = Directory.GetFiles(request.ContextDirectory).Select(Path.GetFileName).Order(StringComparer.Ordinal);
            await log.WriteLineAsync($"building with {string.Join(", ", request.Dockerfile is null ? files : ["inline Dockerfile"])}");
            Started(request.Output.Repository.Split('/')[^1]).TrySetResult();
            await gate.WaitAsync(cancellationToken);
            if (request.Dockerfile?.Contains("RUN", StringComparison.Ordinal) == true)
            {
                throw new BuildException("DockerBuildFailed", "RUN needs buildah");
            }
            return new BuildResult { ImageDigest = Digest.Parse("sha256:" + new string('c', 64)), Builder = "held" };
        }

        private TaskCompletionSource Started(string stream) =>
            started.GetOrAdd(stream, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
    }
}
