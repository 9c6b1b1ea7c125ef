using System.Formats.Tar;
using System.IO.Compression;
using System.Text.Json.Nodes;
using ImageStreams.Builder.Buildah;
using ImageStreams.Builder.Native;
using ImageStreams.Registry.References;
using ImageStreams.Testing.Processes;

namespace ImageStreams.Builder.Tests.Buildah;

public class BuildahImageBuilderTests
{
    [Fact]
    public async Task Build_DockerfileWithRun_IsBuiltByBuildah_AndSkopeoPullsItBack()
    {
        await using var env = await BuildEnvironment.StartAsync();
        var baseImage = await env.PushBaseAsync();
        var output = env.Output("team/app:run");
        var log = new StringWriter();

        var result = await Dispatcher(env).BuildAsync(new BuildRequest
        {
            ContextDirectory = env.Context(new Dictionary<string, string> { ["greeting"] = "hello" }),
            Dockerfile = "FROM placeholder\nCOPY greeting /greeting\nRUN [\"/bin/busybox\", \"sh\", \"-c\", \"/bin/busybox cat /greeting > /built.txt\"]\nCMD [\"/bin/busybox\", \"cat\", \"/built.txt\"]\n",
            Base = baseImage,
            Output = output,
            Labels = new Dictionary<string, string> { ["io.openshift.build.name"] = "app-1" },
        }, log);

        Assert.Equal(BuildahImageBuilder.Name, result.Builder);
        Assert.Equal(result.ImageDigest.ToString(), await ImageStreams.Testing.Registry.TestImages.ManifestDigestAsync(output.Exact()));
        var files = await PulledFilesAsync(output);
        Assert.Equal("hello", files["built.txt"]);
        var config = (await BuildEnvironment.SkopeoConfigAsync(output.Exact()))["config"]!;
        Assert.Equal("app-1", config["Labels"]!["io.openshift.build.name"]!.GetValue<string>());
        Assert.Contains("Building with buildah: line 3: RUN", log.ToString());
        Assert.Contains("STEP 3/", log.ToString());
    }

    [Fact]
    public async Task Build_SourceStrategy_RunsAssembleOverTheSources_AndMakesRunTheCommand()
    {
        await using var env = await BuildEnvironment.StartAsync();
        var baseImage = await env.PushBaseAsync();
        var builderImage = env.Output("library/s2i-builder:1");
        await env.Native.BuildAsync(new BuildRequest
        {
            ContextDirectory = env.Context(new Dictionary<string, string>
            {
                ["s2i/assemble"] = "#!/bin/busybox sh\nset -e\n/bin/busybox cp -r /tmp/src/. /opt/app-root/\necho assembled by $(/bin/busybox id -u)\n",
                ["s2i/run"] = "#!/bin/busybox sh\nexec /bin/busybox httpd -f -h /opt/app-root\n",
                ["app-root/.keep"] = "",
            }),
            Dockerfile = $"FROM {baseImage.Exact()}\nLABEL io.openshift.s2i.scripts-url=image:///opt/s2i\nCOPY --chmod=0755 s2i/ /opt/s2i/\nCOPY --chown=1001:0 app-root/ /opt/app-root/\nUSER 1001\n",
            Output = builderImage,
        }, TextWriter.Null);
        var output = env.Output("team/site:latest");
        var log = new StringWriter();

        var result = await Dispatcher(env).BuildAsync(new BuildRequest
        {
            Strategy = BuildStrategyKind.Source,
            ContextDirectory = env.Context(new Dictionary<string, string> { ["index.html"] = "<h1>site</h1>" }),
            Base = builderImage,
            Output = output,
            Environment = [new("GREETING", "hi \"there\" $HOME")],
        }, log);

        Assert.Equal(BuildahImageBuilder.Name, result.Builder);
        var files = await PulledFilesAsync(output);
        Assert.Equal("<h1>site</h1>", files["opt/app-root/index.html"]);
        var config = (await BuildEnvironment.SkopeoConfigAsync(output.Exact()))["config"]!;
        Assert.Equal(["/opt/s2i/run"], config["Cmd"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.Equal("1001", config["User"]!.GetValue<string>());
        Assert.Contains("GREETING=hi \"there\" $HOME", config["Env"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.Contains("assembled by 1001", log.ToString());
    }

    [Fact]
    public async Task Build_WithoutBuildah_FailsNamingWhyItIsNeeded()
    {
        await using var env = await BuildEnvironment.StartAsync();
        var options = new BuilderOptions { WorkDirectory = env.Options.WorkDirectory, BuildahPath = "/nonexistent/buildah" };
        var dispatcher = new ImageBuilderDispatcher(new NativeImageBuilder(env.Client, options), new BuildahImageBuilder(env.Client, options));

        var error = await Assert.ThrowsAsync<BuildException>(() => dispatcher.BuildAsync(new BuildRequest
        {
            ContextDirectory = env.Context(new Dictionary<string, string>()),
            Dockerfile = "FROM busybox\nRUN true\n",
            Output = env.Output("team/app:v1"),
        }, TextWriter.Null));

        Assert.Equal(BuildReasons.BuildahNotInstalled, error.Reason);
        Assert.Equal("this build needs buildah (line 2: RUN executes a command in a container), which is not installed: apt-get install buildah", error.Message);
    }

    [Fact]
    public async Task Build_FailingRunStep_FailsWithTheLastLinesOfOutput()
    {
        await using var env = await BuildEnvironment.StartAsync();
        var baseImage = await env.PushBaseAsync();

        var error = await Assert.ThrowsAsync<BuildException>(() => Dispatcher(env).BuildAsync(new BuildRequest
        {
            ContextDirectory = env.Context(new Dictionary<string, string>()),
            Dockerfile = "FROM placeholder\nRUN [\"/bin/busybox\", \"sh\", \"-c\", \"echo broken-step >&2; exit 3\"]\n",
            Base = baseImage,
            Output = env.Output("team/app:v1"),
        }, TextWriter.Null));

        Assert.Equal(BuildReasons.DockerBuildFailed, error.Reason);
        Assert.Contains("buildah bud failed", error.Message);
        Assert.Contains("broken-step", error.Message);
        Assert.Empty(Directory.EnumerateDirectories(env.Options.WorkDirectory, "buildah-*"));
    }

    [Fact]
    public async Task Build_Cancelled_KillsBuildah_AndRemovesItsStorage()
    {
        await using var env = await BuildEnvironment.StartAsync();
        var baseImage = await env.PushBaseAsync();
        using var cancel = new CancellationTokenSource();
        var log = new SignallingWriter("STEP 2/2", cancel);
        var watch = System.Diagnostics.Stopwatch.StartNew();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Dispatcher(env).BuildAsync(new BuildRequest
        {
            ContextDirectory = env.Context(new Dictionary<string, string>()),
            Dockerfile = "FROM placeholder\nRUN [\"/bin/busybox\", \"sleep\", \"120\"]\n",
            Base = baseImage,
            Output = env.Output("team/app:v1"),
        }, log, cancel.Token));

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60), $"cancellation took {watch.Elapsed}");
        Assert.Empty(Directory.EnumerateDirectories(env.Options.WorkDirectory, "buildah-*"));
        var sleeping = await ProcessRunner.RunAsync("pgrep", ["-f", "busybox sleep 120"]);
        Assert.Equal("", sleeping.StandardOutput.Trim());
    }

    [Fact]
    public async Task Build_WithTheDockerfilesOwnFrom_PullsItFromTheRegistryItNames()
    {
        await using var env = await BuildEnvironment.StartAsync();
        var baseImage = await env.PushBaseAsync();

        var result = await Dispatcher(env).BuildAsync(new BuildRequest
        {
            ContextDirectory = env.Context(new Dictionary<string, string>()),
            Dockerfile = $"FROM {baseImage.Exact()}\nRUN [\"/bin/busybox\", \"true\"]\n",
            Output = env.Output("team/app:own-from"),
        }, TextWriter.Null);

        Assert.Equal(BuildahImageBuilder.Name, result.Builder);
        Assert.Equal(result.ImageDigest.ToString(), await ImageStreams.Testing.Registry.TestImages.ManifestDigestAsync(env.Output("team/app:own-from").Exact()));
    }

    [Fact]
    public async Task Build_WithoutRun_GoesToTheNativeBuilder()
    {
        await using var env = await BuildEnvironment.StartAsync();
        var baseImage = await env.PushBaseAsync();

        var result = await Dispatcher(env).BuildAsync(new BuildRequest
        {
            ContextDirectory = env.Context(new Dictionary<string, string> { ["a"] = "a" }),
            Dockerfile = "FROM placeholder\nCOPY a /a\n",
            Base = baseImage,
            Output = env.Output("team/app:v1"),
        }, TextWriter.Null);

        Assert.Equal(NativeImageBuilder.Name, result.Builder);
    }

    private static ImageBuilderDispatcher Dispatcher(BuildEnvironment env) =>
        new(env.Native, new BuildahImageBuilder(env.Client, env.Options));

    // Copies the image out with skopeo (dir: transport) and reads the files of every layer.
    private static async Task<Dictionary<string, string>> PulledFilesAsync(ImageReference reference)
    {
        using var directory = new TempDirectory("pulled");
        await ProcessRunner.RunCheckedAsync("skopeo", ["--insecure-policy", "copy", "--src-tls-verify=false", $"docker://{reference.Exact()}", $"dir:{directory.Path}"]);
        var manifest = JsonNode.Parse(await File.ReadAllTextAsync(directory.Combine("manifest.json")))!;
        var files = new Dictionary<string, string>();
        foreach (var layer in manifest["layers"]!.AsArray())
        {
            var hex = layer!["digest"]!.GetValue<string>()["sha256:".Length..];
            await using var stream = File.OpenRead(directory.Combine(hex));
            await using var gzip = new GZipStream(stream, CompressionMode.Decompress);
            using var tar = new TarReader(gzip);
            while (await tar.GetNextEntryAsync(copyData: true) is { } entry)
            {
                if (entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile && entry.DataStream is { } data && entry.Length < 1_000_000)
                {
                    files[entry.Name.TrimStart('.', '/')] = await new StreamReader(data).ReadToEndAsync();
                }
            }
        }
        return files;
    }

    /// <summary>A log that cancels a build once a line containing a marker was written.</summary>
    private sealed class SignallingWriter(string marker, CancellationTokenSource cancel) : StringWriter
    {
        public override void WriteLine(string? value)
        {
            base.WriteLine(value);
            if (value?.Contains(marker, StringComparison.Ordinal) == true)
            {
                cancel.CancelAfter(TimeSpan.FromMilliseconds(500));
            }
        }
    }
}
