using System.Text.Json.Nodes;
using ImageStreams.Testing.Processes;

namespace ImageStreams.Cli.Tests.EndToEnd;

/// <summary>What the seed 002 tests share: the seed's git repository, and builds read and awaited through isctl.</summary>
internal static class Seed002
{
    /// <summary>A local git repository shaped like the seed's: a base image directory and two applications on it.</summary>
    public static async Task<string> GitRepositoryAsync(string path, string baseDockerfile)
    {
        var files = new Dictionary<string, string>
        {
            ["httpd-base/Dockerfile"] = baseDockerfile,
            ["httpd-base/httpd.conf"] = "ServerName localhost\nListen 8080\n",
            ["app-a/Dockerfile"] = "FROM httpd-base:latest\nCOPY index.html /usr/local/apache2/htdocs/index.html\n",
            ["app-a/index.html"] = "<h1>app-a</h1>\n",
            ["app-b/Dockerfile"] = "FROM httpd-base:latest\nCOPY index.html /usr/local/apache2/htdocs/index.html\n",
            ["app-b/index.html"] = "<h1>app-b</h1>\n",
        };
        foreach (var (file, text) in files)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(path, file))!);
            await File.WriteAllTextAsync(Path.Combine(path, file), text);
        }
        await ProcessRunner.RunCheckedAsync("git", ["-C", path, "init", "-q", "-b", "master"]);
        await ProcessRunner.RunCheckedAsync("git", ["-C", path, "add", "."]);
        await GitAsync(path, "commit", "-q", "-m", "seed 002");
        return path;
    }

    public static Task GitAsync(string path, params string[] args) =>
        ProcessRunner.RunCheckedAsync("git", ["-C", path, "-c", "user.name=t", "-c", "user.email=t@example.com", .. args]);

    public static async Task<JsonObject> BuildAsync(CliRunner cli, string name)
    {
        var result = await cli.RunAsync("get", "build", name, "-o", "json");
        Assert.True(result.ExitCode == 0, result.ToString());
        return (JsonObject)JsonNode.Parse(result.Out)!;
    }

    /// <summary>Waits until the build is Complete (it may not exist yet); fails as soon as it ends otherwise.</summary>
    public static async Task<JsonObject> WaitCompleteAsync(CliRunner cli, string name)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (true)
        {
            var result = await cli.RunAsync("get", "build", name, "-o", "json");
            if (result.ExitCode == 0)
            {
                var build = (JsonObject)JsonNode.Parse(result.Out)!;
                var phase = build["status"]!["phase"]!.GetValue<string>();
                if (phase == "Complete")
                {
                    return build;
                }
                Assert.True(phase is "New" or "Pending" or "Running",
                    $"{name} did not complete: {build.ToJsonString()}\n{(await cli.RunAsync("logs", $"build/{name}")).Out}");
            }
            Assert.True(DateTime.UtcNow < deadline, $"{name} did not complete in time: {result}");
            await Task.Delay(100);
        }
    }

    /// <summary>The manifest skopeo reads for <paramref name="reference"/>, logged in with <paramref name="token"/>.</summary>
    public static async Task<JsonObject> InspectRawAsync(string reference, string token)
    {
        var result = await ProcessRunner.RunCheckedAsync("skopeo",
            ["inspect", "--raw", "--tls-verify=false", "--creds", $"admin:{token}", $"docker://{reference}"]);
        return (JsonObject)JsonNode.Parse(result.StandardOutput)!;
    }
}
