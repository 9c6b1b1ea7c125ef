using ImageStreams.Server;

namespace ImageStreams.Cli.Tests.EndToEnd;

/// <summary>One real server on a free loopback port with its own data directory, shared by the end-to-end tests.</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    private readonly string dataDirectory = Directory.CreateTempSubdirectory("isctl-server-").FullName;

    public ImageStreamsServer Server { get; private set; } = null!;

    /// <summary>http://127.0.0.1:PORT</summary>
    public string Address => Server.BaseAddress.ToString().TrimEnd('/');

    /// <summary>The admin's token.</summary>
    public string Token => Server.AdminToken;

    /// <summary>127.0.0.1:PORT, the registry host of status.dockerImageRepository.</summary>
    public string HostPort => Server.BaseAddress.Authority;

    public async Task InitializeAsync() =>
        Server = await ImageStreamsServer.StartAsync(new ServerOptions { Listen = "127.0.0.1:0", DataDir = dataDirectory });

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        Directory.Delete(dataDirectory, recursive: true);
    }

    /// <summary>A namespace name no other test uses.</summary>
    public static string UniqueNamespace(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];
}

[CollectionDefinition(Name)]
public sealed class ServerCollection : ICollectionFixture<ServerFixture>
{
    public const string Name = "server";
}
