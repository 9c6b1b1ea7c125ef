using System.Text.Json.Nodes;
using ImageStreams.Testing.Processes;

namespace ImageStreams.Distribution.Tests.Support;

/// <summary>Pulls and inspections with the real skopeo (pushes go through <c>TestImages</c>).</summary>
public static class Skopeo
{
    /// <summary>Copies <paramref name="reference"/> (<c>host/ns/stream:tag</c>) into a directory; returns its manifest.json.</summary>
    public static async Task<JsonNode> PullAsync(string reference, string directory, string? credentials, bool all = false)
    {
        var arguments = new List<string> { "--insecure-policy", "copy", "--src-tls-verify=false", "--quiet" };
        if (credentials is not null)
        {
            arguments.AddRange(["--src-creds", credentials]);
        }
        if (all)
        {
            arguments.Add("--all");
        }
        arguments.AddRange([$"docker://{reference}", $"dir:{directory}"]);
        await ProcessRunner.RunCheckedAsync("skopeo", arguments);
        return JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(directory, "manifest.json")))!;
    }

    public static Task<ProcessResult> TryPullAsync(string reference, string directory, string? credentials)
    {
        var arguments = new List<string> { "--insecure-policy", "copy", "--src-tls-verify=false", "--quiet" };
        if (credentials is not null)
        {
            arguments.AddRange(["--src-creds", credentials]);
        }
        arguments.AddRange([$"docker://{reference}", $"dir:{directory}"]);
        return ProcessRunner.RunAsync("skopeo", arguments);
    }

    /// <summary>Pushes an OCI layout's image with skopeo and returns what it did, failed or not.</summary>
    public static Task<ProcessResult> TryPushAsync(string layout, string tag, string reference, string? credentials)
    {
        var arguments = new List<string> { "--insecure-policy", "copy", "--dest-tls-verify=false", "--quiet" };
        if (credentials is not null)
        {
            arguments.AddRange(["--dest-creds", credentials]);
        }
        arguments.AddRange([$"oci:{layout}:{tag}", $"docker://{reference}"]);
        return ProcessRunner.RunAsync("skopeo", arguments);
    }

    public static async Task<JsonNode> InspectAsync(string reference, string? credentials, bool raw = false)
    {
        var arguments = new List<string> { "inspect", "--tls-verify=false" };
        if (credentials is not null)
        {
            arguments.AddRange(["--creds", credentials]);
        }
        if (raw)
        {
            arguments.Add("--raw");
        }
        arguments.Add($"docker://{reference}");
        var result = await ProcessRunner.RunCheckedAsync("skopeo", arguments);
        return JsonNode.Parse(result.StandardOutput)!;
    }
}
