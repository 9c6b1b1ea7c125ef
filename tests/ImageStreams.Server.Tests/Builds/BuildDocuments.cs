using System.Net;
using System.Text.Json.Nodes;
using ImageStreams.Server.Tests.Support;

namespace ImageStreams.Server.Tests.Builds;

/// <summary>BuildConfigs and the waits the build tests share.</summary>
public static class BuildDocuments
{
    public static string ConfigsPath(string ns) => $"/apis/build.openshift.io/v1/namespaces/{ns}/buildconfigs";

    public static string BuildsPath(string ns) => $"/apis/build.openshift.io/v1/namespaces/{ns}/builds";

    /// <summary>A docker build of an inline Dockerfile into <c>NAME:latest</c>.</summary>
    public static JsonObject Config(string name, string runPolicy = "Serial", int? successfulLimit = null, int? failedLimit = null, bool binary = false)
    {
        var spec = new JsonObject
        {
            ["runPolicy"] = runPolicy,
            ["source"] = binary
                ? new JsonObject { ["binary"] = new JsonObject() }
                : new JsonObject { ["dockerfile"] = "FROM scratch\nLABEL a=b\n" },
            ["strategy"] = new JsonObject { ["dockerStrategy"] = new JsonObject() },
            ["output"] = new JsonObject { ["to"] = new JsonObject { ["kind"] = "ImageStreamTag", ["name"] = $"{name}:latest" } },
        };
        if (successfulLimit is not null)
        {
            spec["successfulBuildsHistoryLimit"] = successfulLimit;
        }
        if (failedLimit is not null)
        {
            spec["failedBuildsHistoryLimit"] = failedLimit;
        }
        return new JsonObject
        {
            ["apiVersion"] = "build.openshift.io/v1",
            ["kind"] = "BuildConfig",
            ["metadata"] = new JsonObject { ["name"] = name },
            ["spec"] = spec,
        };
    }

    public static async Task CreateConfigAsync(this TestServer server, JsonObject config, string ns = "default")
    {
        var response = await server.PostAsync(ConfigsPath(ns), config);
        Assert.True(response.Status == HttpStatusCode.Created, response.Text);
    }

    /// <summary>Instantiates and returns the new build's name.</summary>
    public static async Task<string> StartBuildAsync(this TestServer server, string config, string ns = "default")
    {
        var response = await server.PostAsync($"{ConfigsPath(ns)}/{config}/instantiate", new JsonObject
        {
            ["kind"] = "BuildRequest",
            ["apiVersion"] = "build.openshift.io/v1",
            ["metadata"] = new JsonObject { ["name"] = config },
        });
        Assert.True(response.Status == HttpStatusCode.Created, response.Text);
        return response["metadata.name"]!;
    }

    public static async Task<string?> PhaseAsync(this TestServer server, string build, string ns = "default") =>
        (await server.GetAsync($"{BuildsPath(ns)}/{build}"))["status.phase"];

    /// <summary>Polls until the build reaches the phase; fails with the build's last state after a generous time.</summary>
    public static async Task<ApiResponse> WaitForPhaseAsync(this TestServer server, string build, string phase, string ns = "default")
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var response = await server.GetAsync($"{BuildsPath(ns)}/{build}");
            if (response["status.phase"] == phase)
            {
                return response;
            }
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"build {build} did not reach {phase}: {response.Text}");
            }
            await Task.Delay(50);
        }
    }

    /// <summary>Polls until the condition holds, failing with <paramref name="what"/> after a generous time.</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"timed out waiting for {what}");
            }
            await Task.Delay(50);
        }
    }
}
