using System.Formats.Tar;
using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ImageStreams.Server.Builds;
using ImageStreams.Server.Tests.Support;
using static ImageStreams.Server.Tests.Builds.BuildDocuments;

namespace ImageStreams.Server.Tests.Builds;

/// <summary>
/// The build controller in a real server over its store, with a recording image builder: run policies, the concurrency
/// limit, cancellation, restarts, pruning, logs and binary input.
/// </summary>
public class BuildControllerTests
{
    [Fact]
    public async Task Build_RunsToComplete_WithTimesDigestAndLog()
    {
        var builder = new RecordingBuilder();
        await using var server = await TestServer.StartAsync(services: builder.Services);
        await server.CreateConfigAsync(Config("web"));

        var name = await server.StartBuildAsync("web");
        var done = await server.WaitForPhaseAsync(name, "Complete");
        var log = await server.GetAsync($"{BuildsPath("default")}/{name}/log");

        Assert.NotNull(done["status.startTimestamp"]);
        Assert.NotNull(done["status.completionTimestamp"]);
        Assert.True(long.Parse(done["status.duration"]!, System.Globalization.CultureInfo.InvariantCulture) >= 0);
        Assert.StartsWith("sha256:", done["status.output.to.imageDigest"], StringComparison.Ordinal);
        Assert.Equal($"{server.HostPort}/default/web:latest", done["status.outputDockerImageReference"]);
        Assert.Equal($"{server.HostPort}/default/web:latest", Assert.Single(builder.Started));
        Assert.Equal("FROM scratch\nLABEL a=b\n", Assert.Single(builder.Requests).Dockerfile);
        Assert.Contains("STEP 1: building", log.Text, StringComparison.Ordinal);
        Assert.Contains("STEP 2: done", log.Text, StringComparison.Ordinal);
        Assert.Contains("Pushed ", log.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FailedBuild_KeepsReasonMessageAndLogSnippet()
    {
        var builder = new RecordingBuilder { Failure = ("DockerBuildFailed", "RUN steps need buildah") };
        await using var server = await TestServer.StartAsync(services: builder.Services);
        await server.CreateConfigAsync(Config("web"));

        var failed = await server.WaitForPhaseAsync(await server.StartBuildAsync("web"), "Failed");

        Assert.Equal("DockerBuildFailed", failed["status.reason"]);
        Assert.Equal("RUN steps need buildah", failed["status.message"]);
        Assert.Contains("error: RUN steps need buildah", failed["status.logSnippet"], StringComparison.Ordinal);
        Assert.NotNull(failed["status.completionTimestamp"]);
    }

    [Fact]
    public async Task SerialPolicy_RunsOneAtATime_InNumberOrder()
    {
        var builder = new RecordingBuilder(gated: true);
        await using var server = await TestServer.StartAsync(new ServerOptions { MaxConcurrentBuilds = 4 }, services: builder.Services);
        await server.CreateConfigAsync(Config("web", runPolicy: "Serial"));

        var names = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            names.Add(await server.StartBuildAsync("web"));
        }
        await server.WaitForPhaseAsync(names[0], "Running");
        await Task.Delay(300);
        Assert.Equal("New", await server.PhaseAsync(names[1]));
        Assert.Equal("New", await server.PhaseAsync(names[2]));
        Assert.Equal(1, builder.Running);

        for (var i = 0; i < 3; i++)
        {
            await EventuallyAsync(() => Task.FromResult(builder.Started.Count == i + 1), $"build {i + 1} to start");
            Assert.Equal(1, builder.Running);
            builder.Release();
            await server.WaitForPhaseAsync(names[i], "Complete");
        }
        var starts = await Task.WhenAll(names.Select(async n => (await server.GetAsync($"{BuildsPath("default")}/{n}"))["status.startTimestamp"]!));
        Assert.Equal(starts.Order(StringComparer.Ordinal), starts);
    }

    [Fact]
    public async Task SerialLatestOnly_CancelsTheOlderWaitingBuilds()
    {
        var builder = new RecordingBuilder(gated: true);
        await using var server = await TestServer.StartAsync(services: builder.Services);
        await server.CreateConfigAsync(Config("web", runPolicy: "SerialLatestOnly"));
        var first = await server.StartBuildAsync("web");
        await server.WaitForPhaseAsync(first, "Running");

        var second = await server.StartBuildAsync("web");
        var third = await server.StartBuildAsync("web");
        var fourth = await server.StartBuildAsync("web");

        var cancelled = await server.WaitForPhaseAsync(second, "Cancelled");
        await server.WaitForPhaseAsync(third, "Cancelled");
        Assert.Equal("CancelledBuild", cancelled["status.reason"]);
        Assert.Equal("New", await server.PhaseAsync(fourth));
        builder.Release(2);
        await server.WaitForPhaseAsync(first, "Complete");
        await server.WaitForPhaseAsync(fourth, "Complete");
        Assert.Equal(2, builder.Started.Count);
    }

    [Fact]
    public async Task ParallelBuilds_AreLimitedByMaxConcurrentBuilds()
    {
        var builder = new RecordingBuilder(gated: true);
        await using var server = await TestServer.StartAsync(new ServerOptions { MaxConcurrentBuilds = 2 }, services: builder.Services);
        await server.CreateConfigAsync(Config("web", runPolicy: "Parallel"));

        var names = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => server.StartBuildAsync("web")));
        await EventuallyAsync(() => Task.FromResult(builder.Running == 2), "two builds running");
        await EventuallyAsync(async () => (await Task.WhenAll(names.Select(n => server.PhaseAsync(n)))).Count(p => p == "Pending") == 2, "two builds pending");
        await Task.Delay(300);

        Assert.Equal(2, builder.Running);
        builder.Release(4);
        foreach (var name in names)
        {
            await server.WaitForPhaseAsync(name, "Complete");
        }
        Assert.Equal(4, builder.Started.Count);
    }

    [Fact]
    public async Task CancellingARunningBuild_StopsTheBuilder()
    {
        var builder = new RecordingBuilder(gated: true);
        await using var server = await TestServer.StartAsync(services: builder.Services);
        await server.CreateConfigAsync(Config("web"));
        var name = await server.StartBuildAsync("web");
        await server.WaitForPhaseAsync(name, "Running");

        var patched = await server.PatchAsync($"{BuildsPath("default")}/{name}", "application/merge-patch+json", """{"status":{"cancelled":true}}""");
        var cancelled = await server.WaitForPhaseAsync(name, "Cancelled");

        Assert.Equal(HttpStatusCode.OK, patched.Status);
        Assert.Equal(1, builder.Cancelled);
        Assert.Equal("CancelledBuild", cancelled["status.reason"]);
        Assert.NotNull(cancelled["status.completionTimestamp"]);
    }

    [Fact]
    public async Task Restart_FailsTheInterruptedBuild_AndRunsTheWaitingOne()
    {
        var stuck = new RecordingBuilder(gated: true);
        var server = await TestServer.StartAsync(new ServerOptions { MaxConcurrentBuilds = 1 }, services: stuck.Services);
        try
        {
            await server.CreateConfigAsync(Config("web", runPolicy: "Parallel"));
            var running = await server.StartBuildAsync("web");
            await server.WaitForPhaseAsync(running, "Running");
            var waiting = await server.StartBuildAsync("web");
            await server.WaitForPhaseAsync(waiting, "Pending");

            var after = new RecordingBuilder();
            server = await server.RestartAsync(after.Services);

            var interrupted = await server.WaitForPhaseAsync(running, "Failed");
            Assert.Equal("BuildInterrupted", interrupted["status.reason"]);
            Assert.Contains("server stopped", interrupted["status.message"], StringComparison.Ordinal);
            await server.WaitForPhaseAsync(waiting, "Complete");
            Assert.Single(after.Started);
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task EndedBuilds_ArePrunedToTheHistoryLimits()
    {
        var builder = new RecordingBuilder();
        await using var server = await TestServer.StartAsync(services: builder.Services);
        await server.CreateConfigAsync(Config("web", successfulLimit: 2, failedLimit: 1));

        for (var i = 1; i <= 4; i++)
        {
            await server.WaitForPhaseAsync(await server.StartBuildAsync("web"), "Complete");
        }
        builder.Failure = ("DockerBuildFailed", "broken");
        for (var i = 5; i <= 6; i++)
        {
            await server.WaitForPhaseAsync(await server.StartBuildAsync("web"), "Failed");
        }

        await EventuallyAsync(async () => ((await server.GetAsync(BuildsPath("default"))).Object["items"] as JsonArray)!.Count == 3, "pruning to 3 builds");
        var left = ((await server.GetAsync(BuildsPath("default"))).Object["items"] as JsonArray)!.Select(b => b!["metadata"]!["name"]!.GetValue<string>()).Order();
        Assert.Equal(["web-3", "web-4", "web-6"], left);
        Assert.False(Directory.Exists(Path.Combine(server.Options.DataDir, "builds", "default", "web-1")));
        Assert.True(File.Exists(Path.Combine(server.Options.DataDir, "builds", "default", "web-4", "build.log")));
    }

    [Fact]
    public async Task FollowedLog_StreamsWhileTheBuildRuns_AndEndsWithIt()
    {
        var builder = new RecordingBuilder(gated: true);
        await using var server = await TestServer.StartAsync(services: builder.Services);
        await server.CreateConfigAsync(Config("web"));
        var name = await server.StartBuildAsync("web");
        await server.WaitForPhaseAsync(name, "Running");

        using var response = await server.Client.GetAsync($"{ConfigsPath("default")}/web/log?follow=true", HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var seen = new StringBuilder();
        while (!seen.ToString().Contains("STEP 1", StringComparison.Ordinal))
        {
            seen.AppendLine(await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30)));
        }
        Assert.Equal("Running", await server.PhaseAsync(name));
        builder.Release();
        seen.Append(await reader.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.Equal("text/plain; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Contains("STEP 2: done", seen.ToString(), StringComparison.Ordinal);
        Assert.Equal("Complete", await server.PhaseAsync(name));
    }

    [Fact]
    public async Task FollowedLogOfABuildConfig_WaitsForABuildWhoseNumberIsTakenButNotYetStored()
    {
        var builder = new RecordingBuilder();
        await using var server = await TestServer.StartAsync(services: builder.Services);
        await server.CreateConfigAsync(Config("web"));
        // The number is taken (lastVersion 1) and the build is stored a moment later, as a trigger does in two writes.
        var config = (await server.GetAsync($"{ConfigsPath("default")}/web")).Object;
        config["status"]!["lastVersion"] = 1;
        Assert.Equal(HttpStatusCode.OK, (await server.PutAsync($"{ConfigsPath("default")}/web/status", config)).Status);

        var log = server.Client.GetAsync($"{ConfigsPath("default")}/web/log?follow=true");
        await Task.Delay(BuildLogStreamer.FollowInterval * 3);
        var created = await server.PostAsync(BuildsPath("default"), JsonNode.Parse("""
            {"apiVersion":"build.openshift.io/v1","kind":"Build",
             "metadata":{"name":"web-1","labels":{"buildconfig":"web","openshift.io/build-config.name":"web"}},
             "spec":{"source":{"dockerfile":"FROM scratch\n"},"strategy":{"dockerStrategy":{}},
                     "output":{"to":{"kind":"ImageStreamTag","name":"web:latest"}}}}
            """)!);
        Assert.True(created.Status == HttpStatusCode.Created, created.Text);
        using var response = await log.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("STEP 2: done", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BinaryBuild_UnpacksTheUploadedArchive_OrTakesOneFile()
    {
        var builder = new RecordingBuilder();
        await using var server = await TestServer.StartAsync(services: builder.Services);
        await server.CreateConfigAsync(Config("web", binary: true));
        using var archive = new MemoryStream();
        await using (var gzip = new GZipStream(archive, CompressionLevel.Fastest, leaveOpen: true))
        await using (var tar = new TarWriter(gzip, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var (path, text) in new[] { ("Dockerfile", "FROM scratch\nCOPY site/ /srv/\n"), ("site/index.html", "<h1>hi</h1>") })
            {
                var entry = new PaxTarEntry(TarEntryType.RegularFile, path) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(text)) };
                await tar.WriteEntryAsync(entry);
            }
        }

        var fromArchive = await server.SendAsync(HttpMethod.Post, $"{ConfigsPath("default")}/web/instantiatebinary", archive.ToArray(), "application/octet-stream");
        await server.WaitForPhaseAsync(fromArchive["metadata.name"]!, "Complete");
        var fromFile = await server.SendAsync(HttpMethod.Post, $"{ConfigsPath("default")}/web/instantiatebinary?asFile=app.jar", "jar bytes"u8.ToArray(), "application/octet-stream");
        await server.WaitForPhaseAsync(fromFile["metadata.name"]!, "Complete");
        var badName = await server.SendAsync(HttpMethod.Post, $"{ConfigsPath("default")}/web/instantiatebinary?asFile=../x", "x"u8.ToArray(), "application/octet-stream");

        Assert.Equal(HttpStatusCode.Created, fromArchive.Status);
        Assert.Equal("Binary", fromArchive["spec.source.type"]);
        var contexts = builder.ContextFiles.ToList();
        Assert.Contains(contexts, files => files.SequenceEqual(["Dockerfile", Path.Combine("site", "index.html")]));
        Assert.Contains(contexts, files => files.SequenceEqual(["app.jar"]));
        Assert.Equal(HttpStatusCode.BadRequest, badName.Status);
        Assert.Equal("2", (await server.GetAsync($"{ConfigsPath("default")}/web"))["status.lastVersion"]);
    }

    [Fact]
    public async Task BaseImage_FromAnImageStreamTag_IsResolvedToADigestAndRecorded()
    {
        var builder = new RecordingBuilder();
        await using var server = await TestServer.StartAsync(services: builder.Services);
        var digest = "sha256:" + new string('b', 64);
        var stream = await server.PostAsync("/apis/image.openshift.io/v1/namespaces/default/imagestreammappings", new JsonObject
        {
            ["apiVersion"] = "image.openshift.io/v1",
            ["kind"] = "ImageStreamMapping",
            ["metadata"] = new JsonObject { ["name"] = "base" },
            ["image"] = new JsonObject
            {
                ["metadata"] = new JsonObject { ["name"] = digest },
                ["dockerImageReference"] = $"registry.example.com/base@{digest}",
            },
            ["tag"] = "1",
        });
        Assert.True(stream.Status == HttpStatusCode.Created, stream.Text);
        var config = Config("web");
        config["spec"]!["strategy"]!["dockerStrategy"]!["from"] = new JsonObject { ["kind"] = "ImageStreamTag", ["name"] = "base:1" };
        await server.CreateConfigAsync(config);

        var done = await server.WaitForPhaseAsync(await server.StartBuildAsync("web"), "Complete");

        Assert.Equal("DockerImage", done["spec.strategy.dockerStrategy.from.kind"]);
        Assert.Equal($"registry.example.com/base@{digest}", done["spec.strategy.dockerStrategy.from.name"]);
        Assert.Equal($"registry.example.com/base@{digest}", Assert.Single(builder.Requests).Base?.ToString());
    }

    [Fact]
    public async Task BaseImage_FromATagWithoutImage_FailsTheBuildWithAReason()
    {
        var builder = new RecordingBuilder();
        await using var server = await TestServer.StartAsync(services: builder.Services);
        var config = Config("web");
        config["spec"]!["strategy"]!["dockerStrategy"]!["from"] = new JsonObject { ["kind"] = "ImageStreamTag", ["name"] = "nothing:1" };
        await server.CreateConfigAsync(config);

        var failed = await server.WaitForPhaseAsync(await server.StartBuildAsync("web"), "Failed");

        Assert.Equal("CannotRetrieveImage", failed["status.reason"]);
        Assert.Equal("image stream default/nothing does not exist", failed["status.message"]);
        Assert.Empty(builder.Started);
    }
}
