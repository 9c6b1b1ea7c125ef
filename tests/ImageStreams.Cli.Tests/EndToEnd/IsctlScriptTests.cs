using System.Diagnostics;
using System.Reflection;

namespace ImageStreams.Cli.Tests.EndToEnd;

/// <summary>The ./isctl script users run: it builds the CLI when needed and runs it as a real process.</summary>
[Collection(ServerCollection.Name)]
public sealed class IsctlScriptTests(ServerFixture server) : IDisposable
{
    // The first run may build the CLI.
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    private readonly string directory = Directory.CreateTempSubdirectory("isctl-script-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public async Task TheScript_TalksToTheServer()
    {
        var ns = ServerFixture.UniqueNamespace("script");

        var created = await RunAsync("new-project", ns);
        var listed = await RunAsync("get", "ns", ns);

        Assert.True(created.ExitCode == 0, created.ToString());
        Assert.Equal($"Now using project \"{ns}\" on server \"{server.Address}\".\n", created.Out);
        Assert.True(listed.ExitCode == 0, listed.ToString());
        Assert.Matches($"\n{ns} +Active +", listed.Out);
    }

    [Fact]
    public async Task TheScript_ExitsWithOneAndOneLineWhenTheServerIsDown()
    {
        var result = await RunAsync("get", "is", "--server", "http://127.0.0.1:1");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.Out);
        Assert.Equal("error: cannot reach the server at http://127.0.0.1:1: Connection refused\n", result.Error);
    }

    private async Task<CliResult> RunAsync(params string[] args)
    {
        var root = typeof(IsctlScriptTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "RepositoryRoot").Value!;
        var start = new ProcessStartInfo(Path.Combine(root, "isctl"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = directory,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["ISCTL_SERVER"] = server.Address;
        start.Environment["ISCTL_CONFIG"] = Path.Combine(directory, "config.json");
        start.Environment["ISCTL_TOKEN"] = server.Token;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        // The script's own build messages go to stderr; only isctl's lines matter here.
        var errorLines = (await error).Split('\n').Where(l => !l.StartsWith("isctl: building", StringComparison.Ordinal));
        return new CliResult(process.ExitCode, await output, string.Join('\n', errorLines));
    }
}
