using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using ImageStreams.Builder.Native;
using ImageStreams.Registry.Client;
using ImageStreams.Registry.Manifests;
using ImageStreams.Registry.References;
using ImageStreams.Testing.Registry;

namespace ImageStreams.Builder.Tests.Native;

public class NativeImageBuilderTests
{
    private const string AppDockerfile = """
        FROM 127.0.0.1/placeholder:1
        ARG VERSION=1.0
        ENV APP_VERSION=${VERSION} APP_HOME=/srv/app
        LABEL io.example.app="demo" version=$VERSION
        WORKDIR $APP_HOME
        COPY --chown=1001:0 --chmod=0640 site/*.html ./
        COPY conf /etc/app/
        USER 1001
        EXPOSE 8080 9000-9001/udp
        VOLUME /data
        STOPSIGNAL SIGQUIT
        HEALTHCHECK --interval=30s --retries=2 CMD ["/bin/true"]
        ENTRYPOINT ["/bin/busybox"]
        CMD ["httpd", "-f"]
        ONBUILD COPY . /src
        """;

    private static readonly Dictionary<string, string> AppFiles = new()
    {
        ["site/index.html"] = "<h1>hello</h1>",
        ["site/about.html"] = "<p>about</p>",
        ["site/notes.txt"] = "not copied",
        ["conf/app.conf"] = "listen 8080",
        ["conf/secret.key"] = "excluded",
        [".dockerignore"] = "conf/*.key\n",
    };

    [Fact]
    public async Task Build_SameDockerfileTwice_GivesTheSameDigest()
    {
        await using var env = await BuildEnvironment.StartAsync();
        var baseImage = await env.PushBaseAsync();
        var context = env.Context(AppFiles);

        var first = await env.Native.BuildAsync(Request(context, baseImage, env.Output("team/app:first")), TextWriter.Null);
        await Task.Delay(1100);
        var second = await env.Native.BuildAsync(Request(env.Context(AppFiles), baseImage, env.Output("team/other:second")) with { NoCache = true }, TextWriter.Null);

        Assert.Equal(first.ImageDigest, second.ImageDigest);
        Assert.Equal(first.ImageDigest.ToString(), await TestImages.ManifestDigestAsync(env.Output("team/other:second").Exact()));
    }

    [Fact]
    public async Task Build_InspectedBySkopeo_HasTheLayersConfigAndBaseAnnotations()
    {
        await using var env = await BuildEnvironment.StartAsync();
        var baseImage = await env.PushBaseAsync();
        var output = env.Output("team/app:v1");

        var result = await env.Native.BuildAsync(Request(env.Context(AppFiles), baseImage, output), TextWriter.Null);

        var baseDigest = await TestImages.ManifestDigestAsync(baseImage.Exact());
        var manifest = await BuildEnvironment.SkopeoManifestAsync(output.Exact());
        var baseManifest = await BuildEnvironment.SkopeoManifestAsync(baseImage.Exact());
        var config = (await BuildEnvironment.SkopeoConfigAsync(output.Exact()))["config"]!;
        Assert.Equal("native", result.Builder);
        Assert.Equal(MediaTypes.OciManifest, manifest["mediaType"]!.GetValue<string>());
        Assert.Equal(baseImage.Exact(), manifest["annotations"]!["org.opencontainers.image.base.name"]!.GetValue<string>());
        Assert.Equal(baseDigest, manifest["annotations"]!["org.opencontainers.image.base.digest"]!.GetValue<string>());
        Assert.Equal(baseDigest, result.Base!.Digest!.ToString());
        var layers = manifest["layers"]!.AsArray();
        Assert.Equal(3, layers.Count);
        Assert.Equal(baseManifest["layers"]![0]!["digest"]!.GetValue<string>(), layers[0]!["digest"]!.GetValue<string>());
        Assert.Contains("APP_VERSION=1.0", config["Env"]!.AsArray().Select(e => e!.GetValue<string>()));
        Assert.Contains("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", config["Env"]!.AsArray().Select(e => e!.GetValue<string>()));
        Assert.Equal(["httpd", "-f"], config["Cmd"]!.AsArray().Select(e => e!.GetValue<string>()));
        Assert.Equal(["/bin/busybox"], config["Entrypoint"]!.AsArray().Select(e => e!.GetValue<string>()));
        Assert.Equal("/srv/app", config["WorkingDir"]!.GetValue<string>());
        Assert.Equal("1001", config["User"]!.GetValue<string>());
        Assert.Equal(["8080/tcp", "9000/udp", "9001/udp"], config["ExposedPorts"]!.AsObject().Select(p => p.Key).Order());
        Assert.Equal("demo", config["Labels"]!["io.example.app"]!.GetValue<string>());
        Assert.Equal("yes", config["Labels"]!["base"]!.GetValue<string>());
        Assert.Equal("1.0", config["Labels"]!["version"]!.GetValue<string>());
        Assert.True(config["Volumes"]!.AsObject().ContainsKey("/data"));
        Assert.Equal("SIGQUIT", config["StopSignal"]!.GetValue<string>());
        Assert.Equal(30_000_000_000, config["Healthcheck"]!["Interval"]!.GetValue<long>());
        Assert.Equal(["COPY . /src"], config["OnBuild"]!.AsArray().Select(e => e!.GetValue<string>()));
    }

    [Fact]
    public async Task Build_CopyLayers_HoldTheFilesWithOwnersModesAndAFixedTime_WithoutIgnoredFiles()
    {
        await using var env = await BuildEnvironment.StartAsync();
        var baseImage = await env.PushBaseAsync();
        var output = env.Output("team/app:v1");
        await env.Native.BuildAsync(Request(env.Context(AppFiles), baseImage, output), TextWriter.Null);

        var manifest = Assert.IsType<Schema2Manifest>(await env.Client.Manifests.GetAsync(output, RegistryAccess.Anonymous));
        var site = await EntriesAsync(env, output, manifest.Layers[1]);
        var conf = await EntriesAsync(env, output, manifest.Layers[2]);

        Assert.Equal(["srv/", "srv/app/", "srv/app/about.html", "srv/app/index.html"], site.Select(e => e.Name));
        var index = site.Single(e => e.Name == "srv/app/index.html");
        Assert.Equal((1001, 0), (index.Uid, index.Gid));
        Assert.Equal((UnixFileMode)0b110_100_000, index.Mode);
        Assert.All(site.Concat(conf), e => Assert.Equal(DateTimeOffset.UnixEpoch, e.ModificationTime));
        Assert.Equal((0, 0), (site[0].Uid, site[0].Gid));
        Assert.Equal(["etc/", "etc/app/", "etc/app/app.conf"], conf.Select(e => e.Name));
    }

    [Fact]
    public async Task Rebuild_Unchanged_UploadsNothing_AndGivesTheSameDigest()
    {
        await using var env = await BuildEnvironment.StartAsync();
        var baseImage = await env.PushBaseAsync();
        var output = env.Output("team/app:v1");
        var first = await env.Native.BuildAsync(Request(env.Context(AppFiles), baseImage, output), TextWriter.Null);

        var log = new StringWriter();
        var again = await env.Native.BuildAsync(Request(env.Context(AppFiles), baseImage, output), log);

        Assert.Contains("--> Using cached layer", log.ToString());
        Assert.Contains($"--> Using layer {Assert.IsType<Schema2Manifest>(await env.Client.Manifests.GetAsync(output, RegistryAccess.Anonymous)).Layers[^1].Digest} already in", log.ToString());
        Assert.True(first.BytesUploaded > 0);
        Assert.Equal(0, again.BytesUploaded);
        Assert.Equal(first.ImageDigest, again.ImageDigest);
    }

    [Fact]
    public async Task Build_CachedLayerTheOutputLacks_IsWrittenAgainAndUploaded()
    {
        await using var env = await BuildEnvironment.StartAsync();
        var baseImage = await env.PushBaseAsync();
        var first = await env.Native.BuildAsync(Request(env.Context(AppFiles), baseImage, env.Output("team/app:v1")), TextWriter.Null);
        var log = new StringWriter();

        var elsewhere = await env.Native.BuildAsync(Request(env.Context(AppFiles), baseImage, env.Output("team/copy:v1")), log);

        Assert.Contains("--> Using cached layer", log.ToString());
        Assert.Contains("--> Pushed layer", log.ToString());
        Assert.Equal(first.ImageDigest, elsewhere.ImageDigest);
        Assert.Equal(3, (await BuildEnvironment.SkopeoInspectAsync(env.Output("team/copy:v1").Exact()))["Layers"]!.AsArray().Count);
    }

    [Fact]
    public async Task Build_ChangedFile_IsNotTakenFromTheLayerCache()
    {
        await using var env = await BuildEnvironment.StartAsync();
        var baseImage = await env.PushBaseAsync();
        var output = env.Output("team/app:v1");
        var first = await env.Native.BuildAsync(Request(env.Context(AppFiles), baseImage, output), TextWriter.Null);
        var changed = new Dictionary<string, string>(AppFiles) { ["conf/app.conf"] = "listen 9090" };
        var log = new StringWriter();

        var second = await env.Native.BuildAsync(Request(env.Context(changed), baseImage, output), log);

        Assert.NotEqual(first.ImageDigest, second.ImageDigest);
        Assert.Single(log.ToString().Split('\n'), l => l.StartsWith("--> Using cached layer", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Rebase_OnANewBase_UploadsNoLayerBytes_AndMountsTheNewBaseLayers()
    {
        await using var env = await BuildEnvironment.StartAsync();
        var baseV1 = await env.PushBaseAsync("library/base:latest");
        var output = env.Output("team/app:v1");
        var first = await env.Native.BuildAsync(Request(env.Context(AppFiles), baseV1, output), TextWriter.Null);
        // A new base with a layer of its own (a "security fix"), in the base's repository.
        var fixedBase = await env.Native.BuildAsync(new BuildRequest
        {
            ContextDirectory = env.Context(new Dictionary<string, string> { ["patch"] = "fixed" }),
            Dockerfile = $"FROM {baseV1.Exact()}\nCOPY patch /etc/patch\n",
            Output = env.Output("library/base:latest"),
        }, TextWriter.Null);
        var blobsBefore = env.StoredBlobs();

        var rebased = await env.Native.BuildAsync(Request(env.Context(AppFiles), env.Output("library/base:latest"), output), TextWriter.Null);

        var newBlobs = env.StoredBlobs().Except(blobsBefore).ToList();
        var manifest = Assert.IsType<Schema2Manifest>(await env.Client.Manifests.GetAsync(output, RegistryAccess.Anonymous));
        Assert.NotEqual(first.ImageDigest, rebased.ImageDigest);
        Assert.Equal(fixedBase.ImageDigest, rebased.Base!.Digest);
        Assert.Equal(manifest.Config.Size, rebased.BytesUploaded);
        Assert.Equal(new[] { manifest.Config.Digest.ToString(), rebased.ImageDigest.ToString() }.Order(), newBlobs.Order());
        Assert.Equal(4, manifest.Layers.Count);
        foreach (var layer in manifest.Layers)
        {
            await env.Client.Blobs.HeadAsync(output, layer.Digest, RegistryAccess.Anonymous);
        }
    }

    [Fact]
    public async Task Build_OnADockerSchema2Base_PushesADockerSchema2Image()
    {
        await using var env = await BuildEnvironment.StartAsync();
        var baseImage = await env.PushBaseAsync(format: TestImageFormat.DockerV2S2);
        var output = env.Output("team/app:v1");

        await env.Native.BuildAsync(Request(env.Context(AppFiles), baseImage, output), TextWriter.Null);

        var manifest = await BuildEnvironment.SkopeoManifestAsync(output.Exact());
        Assert.Equal(MediaTypes.DockerManifest, manifest["mediaType"]!.GetValue<string>());
        Assert.Equal(MediaTypes.DockerConfig, manifest["config"]!["mediaType"]!.GetValue<string>());
        Assert.Equal(MediaTypes.DockerLayer, manifest["layers"]![2]!["mediaType"]!.GetValue<string>());
    }

    [Fact]
    public async Task Build_OnAManifestList_UsesTheAskedPlatform()
    {
        await using var env = await BuildEnvironment.StartAsync();
        await env.Images.BuildAsync("amd64", new TestImageSpec { Architecture = "amd64" });
        await env.Images.BuildAsync("arm64", new TestImageSpec { Architecture = "arm64", Labels = new Dictionary<string, string> { ["arch"] = "arm64" } });
        await env.Images.BuildIndexAsync("multi", new TestIndexChild("amd64", "linux", "amd64"), new TestIndexChild("arm64", "linux", "arm64", "v8"));
        await env.Images.PushAsync("multi", $"{env.Registry.Host}/library/multi:1", all: true);
        var output = env.Output("team/app:arm");

        await env.Native.BuildAsync(Request(env.Context(AppFiles), ImageReference.Parse($"{env.Registry.Host}/library/multi:1"), output) with { Platform = "linux/arm64" }, TextWriter.Null);

        var config = await BuildEnvironment.SkopeoConfigAsync(output.Exact());
        Assert.Equal("arm64", config["architecture"]!.GetValue<string>());
        Assert.Equal("arm64", config["config"]!["Labels"]!["arch"]!.GetValue<string>());
    }

    [Fact]
    public async Task Build_ToAnotherRegistry_CopiesTheBaseLayers()
    {
        await using var env = await BuildEnvironment.StartAsync();
        await using var other = await DockerRegistryPeer.StartAsync();
        var baseImage = await env.PushBaseAsync();
        var output = ImageReference.Parse($"{other.Host}/team/app:v1");

        var result = await env.Native.BuildAsync(Request(env.Context(AppFiles), baseImage, output), TextWriter.Null);

        var inspect = await BuildEnvironment.SkopeoInspectAsync(output.Exact());
        Assert.Equal(3, inspect["Layers"]!.AsArray().Count);
        Assert.True(result.BytesUploaded > 500_000, $"{result.BytesUploaded} bytes uploaded; busybox alone is larger");
    }

    [Fact]
    public async Task Build_FromScratch_PushesOnlyTheCopiedFiles()
    {
        await using var env = await BuildEnvironment.StartAsync();
        var output = env.Output("team/static:v1");

        var result = await env.Native.BuildAsync(new BuildRequest
        {
            ContextDirectory = env.Context(new Dictionary<string, string> { ["hello.txt"] = "hi" }),
            Dockerfile = "FROM scratch\nCOPY hello.txt /\nCMD [\"/hello.txt\"]\n",
            Output = output,
        }, TextWriter.Null);

        var manifest = await BuildEnvironment.SkopeoManifestAsync(output.Exact());
        Assert.Null(result.Base);
        Assert.Single(manifest["layers"]!.AsArray());
        Assert.Null(manifest["annotations"]);
    }

    [Fact]
    public async Task Build_WithARunStep_FailsNamingBuildah()
    {
        await using var env = await BuildEnvironment.StartAsync();

        var error = await Assert.ThrowsAsync<BuildException>(() => env.Native.BuildAsync(new BuildRequest
        {
            ContextDirectory = env.Context(new Dictionary<string, string>()),
            Dockerfile = "FROM busybox\nENV A=1\nRUN echo hi > /x\n",
            Output = env.Output("team/app:v1"),
        }, TextWriter.Null));

        Assert.Equal(BuildReasons.NativeBuildUnsupported, error.Reason);
        Assert.Contains("line 3: RUN", error.Message);
        Assert.Contains("buildah", error.Message);
    }

    [Theory]
    [InlineData("FROM scratch\nCOPY missing.txt /\n", "Dockerfile line 2: COPY: no source files were found for \"missing.txt\"")]
    [InlineData("FROM scratch\nCOPY secret.key /\n", "no source files were found for \"secret.key\"")]
    [InlineData("FROM scratch\nCOPY ../outside /\n", "\"../outside\" is outside the build context")]
    [InlineData("FROM scratch\nCOPY a.txt b.txt /dest\n", "the destination must be a directory")]
    [InlineData("FROM scratch\nCOPY --chmod=999 a.txt /\n", "Dockerfile line 2: COPY --chmod=999 is not an octal mode")]
    [InlineData("FROM scratch\nEXPOSE 99999\n", "Dockerfile line 2: EXPOSE invalid port \"99999\"")]
    [InlineData("FROM scratch\nCOPY a.txt\n", "Dockerfile line 2: COPY requires at least two arguments")]
    [InlineData("FROM scratch\nCOPY [ab /\n", "Dockerfile line 2: COPY: the pattern \"[ab\" has an unclosed '['")]
    public async Task Build_BadInput_FailsWithAMessageNamingTheLine(string dockerfile, string message)
    {
        await using var env = await BuildEnvironment.StartAsync();
        var context = env.Context(new Dictionary<string, string> { ["a.txt"] = "a", ["b.txt"] = "b", ["secret.key"] = "k", [".dockerignore"] = "*.key" });

        var error = await Assert.ThrowsAsync<BuildException>(() => env.Native.BuildAsync(
            new BuildRequest { ContextDirectory = context, Dockerfile = dockerfile, Output = env.Output("team/app:v1") }, TextWriter.Null));

        Assert.Equal(BuildReasons.DockerBuildFailed, error.Reason);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public async Task Build_MissingBase_FailsWithPullBuilderImageFailed()
    {
        await using var env = await BuildEnvironment.StartAsync();

        var error = await Assert.ThrowsAsync<BuildException>(() => env.Native.BuildAsync(
            Request(env.Context(AppFiles), env.Output("library/nothing:1"), env.Output("team/app:v1")), TextWriter.Null));

        Assert.Equal(BuildReasons.PullBuilderImageFailed, error.Reason);
        Assert.Contains($"pulling base image {env.Registry.Host}/library/nothing:1", error.Message);
    }

    [Fact]
    public async Task Build_WritesEachStepToTheLog()
    {
        await using var env = await BuildEnvironment.StartAsync();
        var baseImage = await env.PushBaseAsync();
        var log = new StringWriter();

        await env.Native.BuildAsync(Request(env.Context(AppFiles), baseImage, env.Output("team/app:v1")), log);

        var lines = log.ToString().Split('\n');
        Assert.StartsWith($"STEP 1/15: FROM {baseImage.Exact()}", lines[0]);
        Assert.Contains(lines, l => l.StartsWith("STEP 7/15: COPY conf /etc/app/", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith($"Pushed {env.Registry.Host}/team/app@sha256:", StringComparison.Ordinal));
    }

    private static BuildRequest Request(string context, ImageReference baseImage, ImageReference output) => new()
    {
        ContextDirectory = context,
        Dockerfile = AppDockerfile,
        Base = baseImage,
        Output = output,
    };

    private static async Task<List<TarEntry>> EntriesAsync(BuildEnvironment env, ImageReference repository, Descriptor layer)
    {
        await using var blob = await env.Client.Blobs.OpenAsync(repository, layer.Digest, RegistryAccess.Anonymous);
        using var gzip = new GZipStream(blob.Content, CompressionMode.Decompress);
        using var tar = new TarReader(gzip);
        var entries = new List<TarEntry>();
        while (await tar.GetNextEntryAsync(copyData: true) is { } entry)
        {
            entries.Add(entry);
        }
        return entries;
    }
}
