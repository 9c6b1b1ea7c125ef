using System.Net;
using System.Net.Sockets;

namespace ImageStreams.Cli.Tests;

/// <summary>Failures that need no server: each is one clear line on stderr and exit code 1, never a stack trace.</summary>
public sealed class CliErrorTests : IDisposable
{
    private readonly CliRunner cli = new($"http://127.0.0.1:{ClosedPort()}");

    public void Dispose() => cli.Dispose();

    [Fact]
    public async Task AnUnknownResourceType_IsAClearError()
    {
        var result = await cli.RunAsync("get", "pods");

        AssertOneErrorLine(result, "error: the server doesn't have a resource type \"pods\"");
    }

    [Fact]
    public async Task AnUnreachableServer_IsAClearError()
    {
        var result = await cli.RunAsync("get", "is");

        AssertOneErrorLine(result, $"error: cannot reach the server at {cli.Environment["ISCTL_SERVER"]}: Connection refused");
    }

    [Fact]
    public async Task MalformedYaml_IsReportedBeforeAnythingIsSent()
    {
        var file = cli.WriteFile("bad.yaml", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: [x\n");

        var result = await cli.RunAsync("apply", "-f", file);

        AssertOneErrorLine(result, $"error: error parsing {file}: invalid YAML at line");
    }

    [Fact]
    public async Task AnUnknownFlag_NamesTheFlag()
    {
        var result = await cli.RunAsync("get", "is", "--bogus");

        AssertOneErrorLine(result, "error: unknown flag: --bogus");
    }

    [Fact]
    public async Task AnUnexpectedArgument_IsNamed()
    {
        var result = await cli.RunAsync("new-project", "a", "b");

        AssertOneErrorLine(result, "error: Unrecognized command or argument 'b'. (see 'isctl new-project --help')");
    }

    [Fact]
    public async Task AnUnknownOutputFormat_ListsTheValidOnes()
    {
        var result = await cli.RunAsync("get", "is", "-o", "xml");

        AssertOneErrorLine(result, "error: Argument 'xml' not recognized. Must be one of: 'yaml' 'json' 'name' 'wide'");
    }

    [Fact]
    public async Task ApplyWithoutFiles_SaysWhatIsNeeded()
    {
        var result = await cli.RunAsync("apply");

        AssertOneErrorLine(result, "error: must give -f with a file, a directory or - for standard input");
    }

    [Fact]
    public async Task AnInvalidServerAddress_IsAClearError()
    {
        var result = await cli.RunAsync("get", "is", "--server", "ftp://x");

        AssertOneErrorLine(result, "error: invalid server address \"ftp://x\"");
    }

    [Fact]
    public async Task ABrokenConfigFile_IsNamedInTheError()
    {
        File.WriteAllText(cli.ConfigPath, "{not json");

        var result = await cli.RunAsync("get", "is");

        AssertOneErrorLine(result, $"error: the config file {cli.ConfigPath} is not valid JSON");
    }

    [Fact]
    public async Task Help_DescribesTheCommandWithExamples()
    {
        var result = await cli.RunAsync("get", "--help");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Display one or many resources.", result.Out, StringComparison.Ordinal);
        Assert.Contains("Examples:", result.Out, StringComparison.Ordinal);
        Assert.Contains("--all-namespaces", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VersionWithClientOnly_NeedsNoServer()
    {
        var result = await cli.RunAsync("version", "--client");

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("Client Version: v", result.Out, StringComparison.Ordinal);
    }

    private static void AssertOneErrorLine(CliResult result, string expectedStart)
    {
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Equal("", result.Out);
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith(expectedStart, line, StringComparison.Ordinal);
    }

    /// <summary>A loopback port nothing listens on.</summary>
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
