namespace ImageStreams.Cli.Tests.EndToEnd;

public sealed class ServeTests : IDisposable
{
    private readonly CliRunner cli = new("http://127.0.0.1:1");

    public void Dispose() => cli.Dispose();

    [Fact]
    public async Task Serve_PrintsWhereItListens_AndStopsCleanlyOnCtrlC()
    {
        var data = Path.Combine(cli.Directory, "data");
        await using var serve = cli.Start("serve", "--listen", "127.0.0.1:0", "--data-dir", data, "--watch-history", "500");
        await serve.WaitForOutputAsync("isctl: serving on http://127.0.0.1:");
        var address = serve.Snapshot().Out.Split(' ')[3];

        using var client = new CliRunner(address);
        var version = await client.RunAsync("version");
        var stopped = await serve.StopAsync();

        Assert.True(version.ExitCode == 0, version.ToString());
        Assert.Equal(0, stopped.ExitCode);
        Assert.EndsWith("isctl: stopped\n", stopped.Out, StringComparison.Ordinal);
        Assert.Contains($"(data in {data})", stopped.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_WithABadLimit_SaysWhichFlagIsWrong()
    {
        var result = await cli.RunAsync("serve", "--listen", "127.0.0.1:0", "--data-dir", Path.Combine(cli.Directory, "d"), "--watch-history", "5");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("error: --watch-history must be at least 100\n", result.Error);
    }
}
