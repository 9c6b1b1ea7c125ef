using ImageStreams.Registry.Auth;
using ImageStreams.Registry.Client;
using ImageStreams.Registry.Errors;
using ImageStreams.Registry.References;
using ImageStreams.Testing.Registry;

namespace ImageStreams.Registry.Tests.Auth;

public class BasicAuthTests
{
    [Fact]
    public async Task Htpasswd_RightCredentials_ReadTheManifest()
    {
        await using var registry = await DockerRegistryPeer.StartWithBasicAuthAsync("alice", "wonderland");
        using var images = new TestImages();
        await images.BuildAsync("app");
        await images.PushAsync("app", $"{registry.Host}/team/app:v1", credentials: "alice:wonderland");
        using var client = TestClients.Create();
        var access = new RegistryAccess { Credentials = CredentialProviders.Static(new RegistryCredential("alice", "wonderland")) };

        var head = await client.Manifests.HeadAsync(ImageReference.Parse($"{registry.Host}/team/app:v1"), access);

        Assert.Equal(await TestImages.ManifestDigestAsync($"{registry.Host}/team/app:v1", "alice:wonderland"), head.Digest.ToString());
    }

    [Fact]
    public async Task Htpasswd_WrongPassword_IsIncorrectUsernameOrPassword()
    {
        await using var registry = await DockerRegistryPeer.StartWithBasicAuthAsync("alice", "wonderland");
        using var client = TestClients.Create();
        var reference = ImageReference.Parse($"{registry.Host}/team/app:v1");
        var access = new RegistryAccess { Credentials = CredentialProviders.Static(new RegistryCredential("alice", "guess")) };

        var error = await TestClients.FailsWith(RegistryErrorReason.WrongCredentials, () => client.Manifests.GetAsync(reference, access));

        Assert.Equal($"incorrect username or password for image \"{registry.Host}/team/app:v1\"", error.Message);
        Assert.Equal("Unauthorized", error.StatusReason);
        Assert.False(error.Transient);
    }

    [Fact]
    public async Task Htpasswd_NoCredentials_IsUnauthorized()
    {
        await using var registry = await DockerRegistryPeer.StartWithBasicAuthAsync("alice", "wonderland");
        using var client = TestClients.Create();
        var reference = ImageReference.Parse($"{registry.Host}/team/app:v1");

        var error = await TestClients.FailsWith(RegistryErrorReason.Unauthorized, () => client.Manifests.HeadAsync(reference, RegistryAccess.Anonymous));

        Assert.Equal($"you may not have access to the container image \"{registry.Host}/team/app:v1\"", error.Message);
    }
}
