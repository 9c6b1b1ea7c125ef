using ImageStreams.Registry.Client;
using ImageStreams.Registry.Errors;
using ImageStreams.Registry.References;
using ImageStreams.Testing.Registry;

namespace ImageStreams.Registry.Tests.Http;

/// <summary>
/// A plain-HTTP docker-registry reached under a name that is not loopback (the client's sockets map the name to
/// 127.0.0.1), so the rule for remote registries applies.
/// </summary>
public class HttpOnlyTests
{
    private const string Alias = "registry.imagestreams.test";

    [Fact]
    public async Task PlainHttpRegistry_WithoutInsecure_NeedsTheInsecureFlag()
    {
        await using var registry = await DockerRegistryPeer.StartAsync();
        using var client = AliasClient();
        var reference = ImageReference.Parse($"{Alias}:{registry.Port}/team/app:v1");

        var error = await TestClients.FailsWith(RegistryErrorReason.HttpOnly, () => client.Manifests.HeadAsync(reference, RegistryAccess.Anonymous));

        Assert.Equal($"the repository {Alias}:{registry.Port}/team/app is HTTP only and requires the insecure flag to import", error.Message);
        Assert.Equal("BadRequest", error.StatusReason);
        Assert.False(error.Transient);
    }

    [Fact]
    public async Task PlainHttpRegistry_WithInsecure_IsReachedOverHttp()
    {
        await using var registry = await DockerRegistryPeer.StartAsync();
        using var images = new TestImages();
        await images.BuildAsync("app");
        await images.PushAsync("app", $"{registry.Host}/team/app:v1");
        using var client = AliasClient();
        var reference = ImageReference.Parse($"{Alias}:{registry.Port}/team/app:v1");

        var head = await client.Manifests.HeadAsync(reference, new RegistryAccess { Insecure = true });

        Assert.Equal(await TestImages.ManifestDigestAsync($"{registry.Host}/team/app:v1"), head.Digest.ToString());
    }

    [Fact]
    public async Task NothingListening_IsATransientNetworkError()
    {
        var port = ImageStreams.Testing.Processes.FreePort.Next();
        using var client = AliasClient(o => o.MaxRetries = 1);
        var reference = ImageReference.Parse($"{Alias}:{port}/team/app:v1");

        var error = await TestClients.FailsWith(RegistryErrorReason.NetworkError, () => client.Manifests.HeadAsync(reference, RegistryAccess.Anonymous));

        Assert.True(error.Transient);
        Assert.StartsWith($"cannot reach registry \"{Alias}:{port}\" for image \"{reference}\"", error.Message);
    }

    private static RegistryClient AliasClient(Action<RegistryClientOptions>? configure = null) =>
        TestClients.Create(options =>
        {
            options.ConnectCallback = TestClients.ConnectAliasToLoopback(Alias);
            configure?.Invoke(options);
        });
}
