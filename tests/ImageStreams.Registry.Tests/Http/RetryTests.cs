using ImageStreams.Registry.Client;
using ImageStreams.Registry.Errors;
using ImageStreams.Registry.References;
using ImageStreams.Testing.Http;
using static ImageStreams.Registry.Tests.ScriptedFixtures;

namespace ImageStreams.Registry.Tests.Http;

public class RetryTests
{
    [Fact]
    public async Task ServerErrors_ThenSuccess_AreRetriedUntilTheManifestComes()
    {
        await using var server = await ScriptedHttpServer.StartAsync();
        var bytes = OciManifest();
        server.Script("GET", ManifestPath, ScriptedResponse.WithStatus(503), ScriptedResponse.WithStatus(502), Manifest(bytes));
        using var client = TestClients.Create();

        var manifest = await client.Manifests.GetAsync(Reference(server), RegistryAccess.Anonymous);

        Assert.Equal(Digest.Compute(bytes), manifest.Digest);
        Assert.Equal(3, server.CountRequests("GET", ManifestPath));
    }

    [Fact]
    public async Task PersistentServerError_StopsAfterMaxRetries_AsATransientError()
    {
        await using var server = await ScriptedHttpServer.StartAsync();
        server.Script("GET", ManifestPath, ScriptedResponse.WithStatus(500, """{"errors":[{"code":"UNKNOWN","message":"storage is down"}]}"""));
        using var client = TestClients.Create(o => o.MaxRetries = 2);

        var error = await TestClients.FailsWith(RegistryErrorReason.ServerError, () => client.Manifests.GetAsync(Reference(server), RegistryAccess.Anonymous));

        Assert.True(error.Transient);
        Assert.Equal("ServiceUnavailable", error.StatusReason);
        Assert.Contains("answered 500 InternalServerError", error.Message);
        Assert.Contains("UNKNOWN: storage is down", error.Message);
        Assert.Equal(3, server.CountRequests("GET", ManifestPath));
    }

    [Fact]
    public async Task ACallAskingForNoRetries_SendsAFailingRequestOnce_AndOthersStillRetry()
    {
        await using var server = await ScriptedHttpServer.StartAsync();
        server.Script("GET", ManifestPath, ScriptedResponse.WithStatus(503));
        using var client = TestClients.Create(o => o.MaxRetries = 3);

        var error = await TestClients.FailsWith(RegistryErrorReason.ServerError,
            () => client.Manifests.HeadAsync(Reference(server), new RegistryAccess { MaxRetries = 0 }));
        Assert.True(error.Transient);
        Assert.Equal(1, server.CountRequests("HEAD", ManifestPath));

        await TestClients.FailsWith(RegistryErrorReason.ServerError, () => client.Manifests.HeadAsync(Reference(server), RegistryAccess.Anonymous));
        Assert.Equal(1 + 4, server.CountRequests("HEAD", ManifestPath));
    }

    [Fact]
    public void ANegativeRetryCount_IsRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new RegistryAccess { MaxRetries = -1 });

    [Fact]
    public async Task DroppedConnection_ThenSuccess_IsRetried()
    {
        await using var server = await ScriptedHttpServer.StartAsync();
        var bytes = OciManifest();
        server.Script("GET", ManifestPath, ScriptedResponse.Dropped, Manifest(bytes));
        using var client = TestClients.Create();

        var manifest = await client.Manifests.GetAsync(Reference(server), RegistryAccess.Anonymous);

        Assert.Equal(Digest.Compute(bytes), manifest.Digest);
        Assert.Equal(2, server.CountRequests("GET", ManifestPath));
    }

    [Fact]
    public async Task SlowAnswer_TimesOutEachAttempt_AndEndsAsATransientTimeout()
    {
        await using var server = await ScriptedHttpServer.StartAsync();
        server.Script("GET", ManifestPath, new ScriptedResponse { Delay = TimeSpan.FromSeconds(30) });
        using var client = TestClients.Create(o =>
        {
            o.RequestTimeout = TimeSpan.FromMilliseconds(300);
            o.MaxRetries = 1;
        });

        var error = await TestClients.FailsWith(RegistryErrorReason.Timeout, () => client.Manifests.GetAsync(Reference(server), RegistryAccess.Anonymous));

        Assert.True(error.Transient);
        Assert.StartsWith($"timed out after 1s waiting for registry \"{server.Authority}\"", error.Message);
        Assert.Equal(2, server.CountRequests("GET", ManifestPath));
    }

    [Fact]
    public async Task NotFound_IsAnswerNotFault_AndIsNotRetried()
    {
        await using var server = await ScriptedHttpServer.StartAsync();
        server.Script("GET", ManifestPath, ScriptedResponse.WithStatus(404, """{"errors":[{"code":"MANIFEST_UNKNOWN"}]}"""));
        using var client = TestClients.Create();

        await TestClients.FailsWith(RegistryErrorReason.NotFound, () => client.Manifests.GetAsync(Reference(server), RegistryAccess.Anonymous));

        Assert.Equal(1, server.CountRequests("GET", ManifestPath));
    }
}
