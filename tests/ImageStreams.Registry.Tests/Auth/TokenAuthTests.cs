using ImageStreams.Registry.Auth;
using ImageStreams.Registry.Client;
using ImageStreams.Registry.Errors;
using ImageStreams.Registry.Inspection;
using ImageStreams.Registry.References;
using ImageStreams.Testing.Processes;
using ImageStreams.Testing.Registry;

namespace ImageStreams.Registry.Tests.Auth;

public class TokenAuthTests : IAsyncLifetime
{
    private static readonly RegistryAccess Bob = new() { Credentials = CredentialProviders.Static(new RegistryCredential("bob", "builder")) };

    private readonly TempDirectory directory = new();
    private TestTokenIssuer issuer = null!;
    private DockerRegistryPeer registry = null!;

    public async Task InitializeAsync()
    {
        issuer = await TestTokenIssuer.StartAsync(directory.Path, new Dictionary<string, string> { ["bob"] = "builder" });
        registry = await DockerRegistryPeer.StartWithTokenAuthAsync(issuer);
    }

    public async Task DisposeAsync()
    {
        await registry.DisposeAsync();
        await issuer.DisposeAsync();
        directory.Dispose();
    }

    [Fact]
    public async Task RightCredentials_FetchOneTokenForEveryRequestOfTheRepository()
    {
        var reference = await PushAsync("team/app:v1");
        using var client = TestClients.Create();
        var inspector = new ImageInspector(client);

        var inspection = await inspector.InspectAsync(new ImageInspectionRequest(ImageReference.Parse(reference)) { Access = Bob });
        var head = await inspector.HeadAsync(ImageReference.Parse(reference), Bob);
        await inspector.HeadAsync(ImageReference.Parse(reference), Bob);

        Assert.Equal(inspection.Manifest.Digest, head.Digest);
        var request = Assert.Single(issuer.Requests);
        Assert.Equal("bob", request.User);
        Assert.Equal(["repository:team/app:pull"], request.Scopes);
    }

    [Fact]
    public async Task Anonymous_GetsATokenWithoutAccess_AndIsUnauthorized()
    {
        var reference = await PushAsync("team/app:v1");
        using var client = TestClients.Create();

        var error = await TestClients.FailsWith(RegistryErrorReason.Unauthorized,
            () => client.Manifests.GetAsync(ImageReference.Parse(reference), RegistryAccess.Anonymous));

        Assert.Equal($"you may not have access to the container image \"{reference}\"", error.Message);
        Assert.Null(Assert.Single(issuer.Requests).User);
    }

    [Fact]
    public async Task WrongPassword_IsRefusedByTheTokenServer()
    {
        using var client = TestClients.Create();
        var reference = ImageReference.Parse($"{registry.Host}/team/app:v1");
        var access = new RegistryAccess { Credentials = CredentialProviders.Static(new RegistryCredential("bob", "nope")) };

        var error = await TestClients.FailsWith(RegistryErrorReason.WrongCredentials, () => client.Manifests.HeadAsync(reference, access));

        Assert.Equal($"incorrect username or password for image \"{reference}\"", error.Message);
    }

    [Fact]
    public async Task DifferentCredentials_NeverShareATokenButRepeatCallsDo()
    {
        var reference = ImageReference.Parse(await PushAsync("team/app:v1"));
        using var client = TestClients.Create();

        await client.Manifests.HeadAsync(reference, Bob);
        await Assert.ThrowsAsync<RegistryException>(() => client.Manifests.HeadAsync(reference, RegistryAccess.Anonymous));
        await client.Manifests.HeadAsync(reference, Bob);
        await Assert.ThrowsAsync<RegistryException>(() => client.Manifests.HeadAsync(reference, RegistryAccess.Anonymous));

        var users = issuer.Requests.Select(r => r.User).ToList();
        Assert.Equal(["bob", null], users.Take(2));
        Assert.Single(users, u => u == "bob");
    }

    private async Task<string> PushAsync(string repositoryAndTag)
    {
        using var images = new TestImages();
        await images.BuildAsync("app");
        var reference = $"{registry.Host}/{repositoryAndTag}";
        await images.PushAsync("app", reference, credentials: "bob:builder");
        issuer.ClearRequests();
        return reference;
    }
}
