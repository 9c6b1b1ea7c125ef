using ImageStreams.Registry.Auth;
using ImageStreams.Registry.Client;
using ImageStreams.Registry.Errors;
using ImageStreams.Testing.Http;
using ImageStreams.Testing.Time;
using static ImageStreams.Registry.Tests.ScriptedFixtures;

namespace ImageStreams.Registry.Tests.Auth;

/// <summary>Token-server answers the real issuer does not give: access_token only, short lifetimes, bad realms.</summary>
public class ScriptedTokenTests
{
    [Fact]
    public async Task TokenAnswer_WithOnlyAccessToken_IsSentAsBearer()
    {
        await using var server = await ScriptedHttpServer.StartAsync();
        Challenge(server, $"{server.BaseUri}token");
        server.Script("GET", "/token", ScriptedResponse.Text("""{"access_token":"from-access-token"}"""));
        server.Script("HEAD", ManifestPath, Manifest(OciManifest()));
        using var client = TestClients.Create();

        await client.Manifests.HeadAsync(Reference(server), RegistryAccess.Anonymous);

        var token = Assert.Single(server.Requests, r => r.Path == "/token");
        Assert.Equal("/token?service=scripted&scope=repository%3Ateam%2Fapp%3Apull", token.PathAndQuery);
        Assert.Null(token.Header("Authorization"));
        Assert.Equal("Bearer from-access-token", Assert.Single(server.Requests, r => r.Method == "HEAD").Header("Authorization"));
    }

    [Fact]
    public async Task Token_IsReusedUntilItExpires_ThenFetchedAgain()
    {
        await using var server = await ScriptedHttpServer.StartAsync();
        Challenge(server, $"{server.BaseUri}token");
        server.Script("GET", "/token", ScriptedResponse.Text("""{"token":"t","expires_in":60}"""));
        server.Script("HEAD", ManifestPath, Manifest(OciManifest()));
        var time = new ManualTimeProvider();
        using var client = TestClients.Create(time: time);
        var access = new RegistryAccess { Credentials = CredentialProviders.Static(new RegistryCredential("u", "p")) };

        await client.Manifests.HeadAsync(Reference(server), access);
        time.Advance(TimeSpan.FromSeconds(40));
        await client.Manifests.HeadAsync(Reference(server), access);
        Assert.Equal(1, server.CountRequests("GET", "/token"));
        time.Advance(TimeSpan.FromSeconds(20));
        await client.Manifests.HeadAsync(Reference(server), access);

        Assert.Equal(2, server.CountRequests("GET", "/token"));
        Assert.All(server.Requests.Where(r => r.Path == "/token"), r => Assert.Equal("Basic dTpw", r.Header("Authorization")));
    }

    [Fact]
    public async Task RealmThatIsNoHttpUrl_IsRefusedBeforeAnyTokenRequest()
    {
        await using var server = await ScriptedHttpServer.StartAsync();
        Challenge(server, "file:///etc/passwd");
        using var client = TestClients.Create();

        var error = await TestClients.FailsWith(RegistryErrorReason.InvalidResponse, () => client.Manifests.HeadAsync(Reference(server), RegistryAccess.Anonymous));

        Assert.Contains("is not an http(s) URL", error.Message);
        Assert.False(error.Transient);
    }

    [Fact]
    public async Task PlainHttpRealmOnAnotherHost_NeverReceivesCredentials()
    {
        await using var server = await ScriptedHttpServer.StartAsync();
        Challenge(server, "http://auth.example.invalid/token");
        using var client = TestClients.Create();
        var access = new RegistryAccess { Credentials = CredentialProviders.Static(new RegistryCredential("u", "p")) };

        var error = await TestClients.FailsWith(RegistryErrorReason.InvalidResponse, () => client.Manifests.HeadAsync(Reference(server), access));

        Assert.Contains("is plain HTTP", error.Message);
    }

    private static void Challenge(ScriptedHttpServer server, string realm) =>
        server.Script("GET", "/v2/", ScriptedResponse.WithStatus(401) with
        {
            Headers = new Dictionary<string, string> { ["WWW-Authenticate"] = $"Bearer realm=\"{realm}\",service=\"scripted\"" },
        });
}
