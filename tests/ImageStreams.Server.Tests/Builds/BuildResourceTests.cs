using System.Net;
using System.Text.Json.Nodes;
using ImageStreams.Server.Tests.Support;
using static ImageStreams.Server.Tests.Builds.BuildDocuments;

namespace ImageStreams.Server.Tests.Builds;

/// <summary>BuildConfigs and builds through the API: OpenShift's defaults, validation, instantiate and its numbering.</summary>
public class BuildResourceTests
{
    [Fact]
    public async Task CreateBuildConfig_AppliesOpenShiftsDefaults()
    {
        await using var server = await TestServer.StartAsync();
        var config = Config("web");
        ((JsonObject)config["spec"]!).Remove("runPolicy");
        config["spec"]!["triggers"] = new JsonArray(
            new JsonObject { ["type"] = "ImageChange", ["imageChange"] = new JsonObject { ["from"] = new JsonObject { ["kind"] = "ImageStreamTag", ["name"] = "base:1" } } },
            new JsonObject { ["type"] = "ConfigChange" });

        var created = await server.PostAsync(ConfigsPath("default"), config);

        Assert.Equal(HttpStatusCode.Created, created.Status);
        Assert.Equal("Serial", created["spec.runPolicy"]);
        Assert.Equal("5", created["spec.successfulBuildsHistoryLimit"]);
        Assert.Equal("5", created["spec.failedBuildsHistoryLimit"]);
        Assert.Equal("Dockerfile", created["spec.source.type"]);
        Assert.Equal("Docker", created["spec.strategy.type"]);
        Assert.Equal("0", created["status.lastVersion"]);
        Assert.Equal("base:1", created["spec.triggers[0].imageChange.from.name"]);
        Assert.Equal("1", created["metadata.generation"]);
    }

    [Fact]
    public async Task StatusImageChangeTriggers_AreKeptAsWritten_AndSpecWritesLeaveThem()
    {
        await using var server = await TestServer.StartAsync();
        await server.CreateConfigAsync(Config("web"));
        var current = (await server.GetAsync($"{ConfigsPath("default")}/web")).Object;
        current["status"]!["imageChangeTriggers"] = new JsonArray(new JsonObject
        {
            ["lastTriggeredImageID"] = "registry.example.com/base@sha256:" + new string('a', 64),
            ["from"] = new JsonObject { ["name"] = "base:1" },
            ["lastTriggerTime"] = "2026-01-02T03:04:05Z",
        });

        var status = await server.PutAsync($"{ConfigsPath("default")}/web/status", current);
        var spec = await server.PatchAsync($"{ConfigsPath("default")}/web", "application/merge-patch+json", """{"spec":{"runPolicy":"Parallel"}}""");

        Assert.Equal(HttpStatusCode.OK, status.Status);
        Assert.Equal("registry.example.com/base@sha256:" + new string('a', 64), spec["status.imageChangeTriggers[0].lastTriggeredImageID"]);
        Assert.Equal("2026-01-02T03:04:05Z", spec["status.imageChangeTriggers[0].lastTriggerTime"]);
        Assert.Equal("Parallel", spec["spec.runPolicy"]);
        Assert.Equal("2", spec["metadata.generation"]);
    }

    [Fact]
    public async Task InvalidBuildConfig_IsRefusedWithFieldCauses()
    {
        await using var server = await TestServer.StartAsync();
        var config = new JsonObject
        {
            ["apiVersion"] = "build.openshift.io/v1",
            ["kind"] = "BuildConfig",
            ["metadata"] = new JsonObject { ["name"] = "bad" },
            ["spec"] = new JsonObject
            {
                ["runPolicy"] = "Sometimes",
                ["source"] = new JsonObject { ["contextDir"] = "../up", ["git"] = new JsonObject { ["uri"] = "" } },
                ["strategy"] = new JsonObject(),
                ["output"] = new JsonObject { ["to"] = new JsonObject { ["kind"] = "ImageStreamTag", ["name"] = "no-tag" } },
                ["successfulBuildsHistoryLimit"] = -1,
            },
        };

        var response = await server.PostAsync(ConfigsPath("default"), config);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.Status);
        Assert.Equal("Invalid", response["reason"]);
        var fields = (response.Object["details"]!["causes"] as JsonArray)!.Select(c => c!["field"]!.GetValue<string>()).ToList();
        Assert.Contains("spec.runPolicy", fields);
        Assert.Contains("spec.source.git.uri", fields);
        Assert.Contains("spec.source.contextDir", fields);
        Assert.Contains("spec.strategy", fields);
        Assert.Contains("spec.output.to.name", fields);
        Assert.Contains("spec.successfulBuildsHistoryLimit", fields);
    }

    [Fact]
    public async Task Instantiate_CreatesTheNextBuild_WithOpenShiftsLabelsAndCause()
    {
        await using var server = await TestServer.StartAsync();
        await server.CreateConfigAsync(Config("web", runPolicy: "Parallel"));

        var first = await server.StartBuildAsync("web");
        var second = await server.PostAsync($"{ConfigsPath("default")}/web/instantiate", new JsonObject { ["metadata"] = new JsonObject { ["name"] = "web" } });

        Assert.Equal("web-1", first);
        Assert.Equal(HttpStatusCode.Created, second.Status);
        Assert.Equal("web-2", second["metadata.name"]);
        Assert.Equal("web", second["metadata.labels.buildconfig"]);
        Assert.Equal("web", second.Object["metadata"]!["labels"]!["openshift.io/build-config.name"]!.GetValue<string>());
        Assert.Equal("2", second.Object["metadata"]!["annotations"]!["openshift.io/build.number"]!.GetValue<string>());
        Assert.Equal("Manually triggered", second["spec.triggeredBy[0].message"]);
        Assert.Equal("New", second["status.phase"]);
        Assert.Equal("web", second["status.config.name"]);
        Assert.Equal("2", (await server.GetAsync($"{ConfigsPath("default")}/web"))["status.lastVersion"]);
    }

    [Fact]
    public async Task Instantiate_ConcurrentRequests_NeverShareANumber()
    {
        await using var server = await TestServer.StartAsync();
        // History limits above the count, so builds that finish early are not pruned before they are counted.
        await server.CreateConfigAsync(Config("web", runPolicy: "Parallel", successfulLimit: 100, failedLimit: 100));

        var names = await Task.WhenAll(Enumerable.Range(0, 24).Select(_ => server.StartBuildAsync("web")));

        Assert.Equal(Enumerable.Range(1, 24).Select(n => $"web-{n}").Order(), names.Order());
        Assert.Equal("24", (await server.GetAsync($"{ConfigsPath("default")}/web"))["status.lastVersion"]);
        var builds = (await server.GetAsync(BuildsPath("default"))).Object["items"] as JsonArray;
        Assert.Equal(24, builds!.Count);
    }

    [Fact]
    public async Task InstantiateByImage_RecordsTheImageOnItsTrigger_AndRefusesTheSameImageTwice()
    {
        await using var server = await TestServer.StartAsync(services: new RecordingBuilder(gated: true).Services);
        await server.CreateConfigAsync(Config("web"));
        var image = "registry.example.com/base@sha256:" + new string('d', 64);
        JsonObject Request() => new()
        {
            ["kind"] = "BuildRequest",
            ["apiVersion"] = "build.openshift.io/v1",
            ["metadata"] = new JsonObject { ["name"] = "web" },
            ["triggeredByImage"] = new JsonObject { ["kind"] = "DockerImage", ["name"] = image },
            ["from"] = new JsonObject { ["kind"] = "ImageStreamTag", ["name"] = "base:1" },
        };

        var first = await server.PostAsync($"{ConfigsPath("default")}/web/instantiate", Request());
        var repeat = await server.PostAsync($"{ConfigsPath("default")}/web/instantiate", Request());
        var config = await server.GetAsync($"{ConfigsPath("default")}/web");

        Assert.Equal(HttpStatusCode.Created, first.Status);
        Assert.Equal("Image change", first["spec.triggeredBy[0].message"]);
        Assert.Equal(image, first["spec.triggeredBy[0].imageChangeBuild.imageID"]);
        Assert.Equal(HttpStatusCode.Conflict, repeat.Status);
        Assert.Contains($"has already instantiated a build for imageid {image}", repeat["message"], StringComparison.Ordinal);
        Assert.Equal("1", config["status.lastVersion"]);
        Assert.Equal(image, config["status.imageChangeTriggers[0].lastTriggeredImageID"]);
        Assert.Equal("base:1", config["status.imageChangeTriggers[0].from.name"]);
    }

    [Fact]
    public async Task Instantiate_Errors_AreStatusBodies()
    {
        await using var server = await TestServer.StartAsync();
        await server.CreateConfigAsync(Config("upload", binary: true));

        var missing = await server.PostAsync($"{ConfigsPath("default")}/nope/instantiate", new JsonObject());
        var binary = await server.PostAsync($"{ConfigsPath("default")}/upload/instantiate", new JsonObject());
        var wrongVerb = await server.GetAsync($"{ConfigsPath("default")}/upload/instantiate");
        var unknown = await server.PostAsync($"{ConfigsPath("default")}/upload/launch", new JsonObject());

        Assert.Equal(HttpStatusCode.NotFound, missing.Status);
        Assert.Equal("buildconfigs.build.openshift.io \"nope\" not found", missing["message"]);
        Assert.Equal(HttpStatusCode.BadRequest, binary.Status);
        Assert.Contains("binary source", binary["message"], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, wrongVerb.Status);
        Assert.Equal(HttpStatusCode.NotFound, unknown.Status);
        Assert.Equal("Status", unknown["kind"]);
    }

    [Fact]
    public async Task BuildSpec_CannotChange_ButCancelledCanBeSet()
    {
        var builder = new RecordingBuilder(gated: true);
        await using var server = await TestServer.StartAsync(services: builder.Services);
        await server.CreateConfigAsync(Config("web"));
        var name = await server.StartBuildAsync("web");
        await server.WaitForPhaseAsync(name, "Running");

        var spec = await server.PatchAsync($"{BuildsPath("default")}/{name}", "application/merge-patch+json", """{"spec":{"output":{"to":{"name":"other:1"}}}}""");
        var cancelled = await server.PatchAsync($"{BuildsPath("default")}/{name}", "application/merge-patch+json", """{"status":{"cancelled":true,"phase":"Complete"}}""");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, spec.Status);
        Assert.Contains("spec: Forbidden", spec["message"], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, cancelled.Status);
        Assert.Equal("true", cancelled["status.cancelled"]);
        Assert.Equal("Running", cancelled["status.phase"]);
        await server.WaitForPhaseAsync(name, "Cancelled");
    }

    [Fact]
    public async Task Discovery_ListsBuildResourcesAndSubresources()
    {
        await using var server = await TestServer.StartAsync();

        var list = await server.GetAsync("/apis/build.openshift.io/v1");

        var resources = (list.Object["resources"] as JsonArray)!.Select(r => r!["name"]!.GetValue<string>()).ToList();
        Assert.Contains("buildconfigs", resources);
        Assert.Contains("builds", resources);
        Assert.Contains("buildconfigs/instantiate", resources);
        Assert.Contains("buildconfigs/instantiatebinary", resources);
        Assert.Contains("builds/log", resources);
        var bc = (list.Object["resources"] as JsonArray)!.First(r => r!["name"]!.GetValue<string>() == "buildconfigs");
        Assert.Equal("bc", bc!["shortNames"]![0]!.GetValue<string>());
    }
}
