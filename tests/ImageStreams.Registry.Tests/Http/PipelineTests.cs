using ImageStreams.Registry.Client;
using ImageStreams.Testing.Http;
using static ImageStreams.Registry.Tests.ScriptedFixtures;

namespace ImageStreams.Registry.Tests.Http;

public class PipelineTests
{
    [Fact]
    public async Task ConcurrentRequests_ToOneRegistry_AreLimitedPerHost()
    {
        await using var server = await ScriptedHttpServer.StartAsync();
        server.Script("HEAD", ManifestPath, Manifest(OciManifest()) with { Delay = TimeSpan.FromMilliseconds(150) });
        using var client = TestClients.Create(o => o.MaxConcurrentRequestsPerRegistry = 2);
        var reference = Reference(server);
        await client.Manifests.HeadAsync(reference, RegistryAccess.Anonymous);

        await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => client.Manifests.HeadAsync(reference, RegistryAccess.Anonymous)));

        Assert.Equal(7, server.CountRequests("HEAD", ManifestPath));
        Assert.Equal(2, server.MaxConcurrentRequests);
    }

    [Fact]
    public async Task EveryRequest_CarriesTheConfiguredUserAgent()
    {
        await using var server = await ScriptedHttpServer.StartAsync();
        server.Script("HEAD", ManifestPath, Manifest(OciManifest()));
        using var client = TestClients.Create(o => o.UserAgent = "imagestreams-test-agent/9");

        await client.Manifests.HeadAsync(Reference(server), RegistryAccess.Anonymous);

        Assert.NotEmpty(server.Requests);
        Assert.All(server.Requests, r => Assert.Equal("imagestreams-test-agent/9", r.Header("User-Agent")));
    }

    [Fact]
    public void InvalidOptions_AreRefusedAtStartUp()
    {
        var error = Assert.Throws<ArgumentException>(() => new RegistryClient(new RegistryClientOptions { MaxConcurrentRequestsPerRegistry = 0 }));

        Assert.Contains("MaxConcurrentRequestsPerRegistry", error.Message);
        Assert.Throws<ArgumentException>(() => new RegistryClient(new RegistryClientOptions { CaBundlePath = "/nonexistent/ca.pem" }));
    }
}
