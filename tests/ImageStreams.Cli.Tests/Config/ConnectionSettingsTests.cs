using System.Net;
using System.Net.Sockets;
using System.Text;
using ImageStreams.Cli.Config;

namespace ImageStreams.Cli.Tests.Config;

/// <summary>Where the server, token and namespace come from: flag, then environment, then config file, then default.</summary>
public sealed class ConnectionSettingsTests : IDisposable
{
    private readonly HttpListener listener = new();
    private readonly CliRunner cli;
    private readonly List<(string Path, string? Authorization)> requests = [];
    private readonly Task serving;

    public ConnectionSettingsTests()
    {
        var address = $"http://127.0.0.1:{FreePort()}";
        listener.Prefixes.Add(address + "/");
        listener.Start();
        serving = ServeAsync();
        cli = new CliRunner(address);
        Address = address;
    }

    private string Address { get; }

    public void Dispose()
    {
        listener.Stop();
        listener.Close();
        serving.Wait(TimeSpan.FromSeconds(5));
        cli.Dispose();
    }

    [Fact]
    public async Task TheConfigFilesServerTokenAndNamespace_AreUsedWhenNothingElseIsGiven()
    {
        cli.Environment.Remove("ISCTL_SERVER");
        new CliConfig { Server = Address, Token = "from-config", Namespace = "team-a" }.Save(cli.ConfigPath);

        var result = await cli.RunAsync("get", "is");

        Assert.True(result.ExitCode == 0, result.ToString());
        var request = Assert.Single(requests);
        Assert.Equal("/apis/image.openshift.io/v1/namespaces/team-a/imagestreams", request.Path);
        Assert.Equal("Bearer from-config", request.Authorization);
    }

    [Fact]
    public async Task TheEnvironment_OverridesTheConfigFile_AndFlagsOverrideBoth()
    {
        new CliConfig { Server = "http://127.0.0.1:1", Token = "from-config", Namespace = "team-a" }.Save(cli.ConfigPath);
        cli.Environment["ISCTL_TOKEN"] = "from-env";

        await cli.RunAsync("get", "is");
        await cli.RunAsync("get", "is", "--token", "from-flag", "-n", "team-b");

        Assert.Equal(
            [
                ("/apis/image.openshift.io/v1/namespaces/team-a/imagestreams", "Bearer from-env"),
                ("/apis/image.openshift.io/v1/namespaces/team-b/imagestreams", "Bearer from-flag"),
            ],
            requests);
    }

    [Fact]
    public async Task WithoutAnyToken_NoAuthorizationIsSent()
    {
        await cli.RunAsync("get", "ns");

        Assert.Equal([("/api/v1/namespaces", (string?)null)], requests);
    }

    [Fact]
    public void TheSavedConfigFile_IsReadableByItsOwnerOnly()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        new CliConfig { Token = "secret" }.Save(cli.ConfigPath);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(cli.ConfigPath));
    }

    /// <summary>Answers every request with an empty list and records its path and Authorization header.</summary>
    private async Task ServeAsync()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }
            lock (requests)
            {
                requests.Add((context.Request.Url!.AbsolutePath, context.Request.Headers["Authorization"]));
            }
            var body = Encoding.UTF8.GetBytes("""{"kind":"List","apiVersion":"v1","metadata":{"resourceVersion":"1"},"items":[]}""");
            context.Response.ContentType = "application/json";
            await context.Response.OutputStream.WriteAsync(body);
            context.Response.Close();
        }
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }
}
