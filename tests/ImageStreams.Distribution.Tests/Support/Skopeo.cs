using System.Text.Json.Nodes;
using ImageStreams.Testing.Processes;

namespace ImageStreams.Distribution.Tests.Support;

/// <summary>Pulls and inspections with the real skopeo (pushes go through <c>TestImages</c>).</summary>
public static class Skopeo
{
    /// <summary>Copies <paramref name="reference"/> (<c>host/ns/stream:tag</c>) into a directory; returns its manifest.json.</summary>
    public static async Task<JsonNode> PullAsync(string reference, string directory, bool all = false)
    {
        var arguments = new List<string> { "--insecure-policy", "copy", "--src-tls-verify=false", "--quiet" };
        if (all)
        {
            arguments.Add("--all");
        }
        arguments.AddRange([$"docker://{reference}", $"dir:{directory}"]);
        await ProcessRunner.RunCheckedAsync("skopeo", arguments);
        return JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(directory, "manifest.json")))!;
    }

    public static Task<ProcessResult> TryPullAsync(string reference, string directory) =>
        ProcessRunner.RunAsync("skopeo", ["--insecure-policy", "copy", "--src-tls-verify=false", "--quiet", $"docker://{reference}", $"dir:{directory}"]);

    public static async Task<JsonNode> InspectAsync(string reference, bool raw = false)
    {
        var arguments = new List<string> { "inspect", "--tls-verify=false" };
        if (raw)
        {
            arguments.Add("--raw");
        }
        arguments.Add($"docker://{reference}");
        var result = await ProcessRunner.RunCheckedAsync("skopeo", arguments);
        return JsonNode.Parse(result.StandardOutput)!;
    }
}
