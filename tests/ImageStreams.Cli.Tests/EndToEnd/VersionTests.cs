namespace ImageStreams.Cli.Tests.EndToEnd;

[Collection(ServerCollection.Name)]
public sealed class VersionTests(ServerFixture server) : IDisposable
{
    private readonly CliRunner cli = new(server.Address, server.Token);

    public void Dispose() => cli.Dispose();

    [Fact]
    public async Task Version_PrintsTheClientsAndTheServers()
    {
        var result = await cli.RunAsync("version");

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("Client Version: v", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("Server Version: ", lines[1], StringComparison.Ordinal);
    }
}
