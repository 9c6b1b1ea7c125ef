using ImageStreams.Registry.Client;
using ImageStreams.Registry.Errors;
using ImageStreams.Registry.References;
using ImageStreams.Testing.Http;
using ImageStreams.Testing.Time;
using static ImageStreams.Registry.Tests.ScriptedFixtures;

namespace ImageStreams.Registry.Tests.Http;

public class RateLimitTests
{
    private static readonly byte[] Bytes = OciManifest();

    [Fact]
    public async Task TooManyRequests_CarriesRetryAfter_AndTheNextRequestWaitsUntilThen()
    {
        await using var server = await ScriptedHttpServer.StartAsync();
        server.Script("HEAD", ManifestPath, TooMany("20"), Manifest(Bytes));
        var time = new ManualTimeProvider();
        using var client = TestClients.Create(o => o.MaxRateLimitWait = TimeSpan.FromMinutes(1), time);
        var reference = Reference(server);

        var error = await TestClients.FailsWith(RegistryErrorReason.TooManyRequests, () => client.Manifests.HeadAsync(reference, RegistryAccess.Anonymous));

        Assert.Equal(TimeSpan.FromSeconds(20), error.RetryAfter);
        Assert.True(error.Transient);
        Assert.Equal("TooManyRequests", error.StatusReason);
        Assert.Equal(429, error.ToStatus().Code);
        Assert.Equal(20, error.ToStatus().Details!.RetryAfterSeconds);
        Assert.Equal($"too many requests to registry \"{server.Authority}\" for image \"{reference}\": retry after 20s", error.Message);

        var next = client.Manifests.HeadAsync(reference, RegistryAccess.Anonymous);
        await time.WaitForTimerAsync(TimeSpan.FromSeconds(19), TimeSpan.FromSeconds(10));
        Assert.False(next.IsCompleted);
        Assert.Equal(1, server.CountRequests("HEAD", ManifestPath));

        time.Advance(TimeSpan.FromSeconds(20));

        Assert.Equal(Digest.Compute(Bytes), (await next).Digest);
        Assert.Equal(2, server.CountRequests("HEAD", ManifestPath));
    }

    [Fact]
    public async Task WaitLongerThanTheLimit_FailsAtOnceWithoutAskingTheRegistry()
    {
        await using var server = await ScriptedHttpServer.StartAsync();
        server.Script("HEAD", ManifestPath, TooMany("3600"), Manifest(Bytes));
        var time = new ManualTimeProvider();
        using var client = TestClients.Create(o => o.MaxRateLimitWait = TimeSpan.FromSeconds(30), time);
        await Assert.ThrowsAsync<RegistryException>(() => client.Manifests.HeadAsync(Reference(server), RegistryAccess.Anonymous));
        time.Advance(TimeSpan.FromSeconds(600));

        var error = await TestClients.FailsWith(RegistryErrorReason.TooManyRequests, () => client.Manifests.HeadAsync(Reference(server), RegistryAccess.Anonymous));

        Assert.Equal(TimeSpan.FromSeconds(3000), error.RetryAfter);
        Assert.Equal(1, server.CountRequests("HEAD", ManifestPath));
    }

    [Fact]
    public async Task TooManyRequestsWithoutRetryAfter_UsesTheConfiguredDefault()
    {
        await using var server = await ScriptedHttpServer.StartAsync();
        server.Script("HEAD", ManifestPath, ScriptedResponse.WithStatus(429));
        using var client = TestClients.Create(o => o.DefaultRetryAfter = TimeSpan.FromSeconds(7), new ManualTimeProvider());

        var error = await TestClients.FailsWith(RegistryErrorReason.TooManyRequests, () => client.Manifests.HeadAsync(Reference(server), RegistryAccess.Anonymous));

        Assert.Equal(TimeSpan.FromSeconds(7), error.RetryAfter);
    }

    [Fact]
    public async Task RateLimitedRegistry_DoesNotHoldBackOtherRegistries()
    {
        await using var limited = await ScriptedHttpServer.StartAsync();
        await using var other = await ScriptedHttpServer.StartAsync();
        limited.Script("HEAD", ManifestPath, TooMany("3600"));
        other.Script("HEAD", ManifestPath, Manifest(Bytes));
        using var client = TestClients.Create(time: new ManualTimeProvider());
        await Assert.ThrowsAsync<RegistryException>(() => client.Manifests.HeadAsync(Reference(limited), RegistryAccess.Anonymous));

        var head = await client.Manifests.HeadAsync(Reference(other), RegistryAccess.Anonymous);

        Assert.Equal(Digest.Compute(Bytes), head.Digest);
    }

    private static ScriptedResponse TooMany(string retryAfter) =>
        ScriptedResponse.WithStatus(429, """{"errors":[{"code":"TOOMANYREQUESTS","message":"pull rate limit"}]}""") with
        {
            Headers = new Dictionary<string, string> { ["Retry-After"] = retryAfter },
        };
}
