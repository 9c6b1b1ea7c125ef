namespace ImageStreams.Distribution.Tests.Support;

/// <summary>One server shared by the tests of a class; each test works in a namespace of its own.</summary>
public sealed class RegistryServerFixture : IAsyncLifetime
{
    public RegistryServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await RegistryServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
