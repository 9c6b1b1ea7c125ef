using System.Net;
using System.Net.Http.Headers;
using System.Text;
using ImageStreams.Server.Tests.Support;
using ImageStreams.Testing.Processes;

namespace ImageStreams.Server.Tests.Security;

public sealed class AuthenticationTests(SecuredServer fixture) : IClassFixture<SecuredServer>
{
    private const string Streams = "/apis/image.openshift.io/v1/namespaces/team-a/imagestreams";

    [Fact]
    public async Task AnAnonymousRequest_Gets401_WithAStatusBody()
    {
        var response = await fixture.SendAsync(null, HttpMethod.Get, Streams);

        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
        Assert.Equal("Status", response["kind"]);
        Assert.Equal("Unauthorized", response["reason"]);
        Assert.Equal("401", response["code"]);
    }

    [Theory]
    [InlineData("Bearer sha256~not-a-token-this-server-made")]
    [InlineData("Bearer something-else")]
    [InlineData("Basic bm90LWJhc2U2NA==")]
    [InlineData("Negotiate abc")]
    public async Task BadCredentials_Get401_NotAnonymousAccess(string header)
    {
        using var client = fixture.Server.ClientFor(null);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api");
        request.Headers.TryAddWithoutValidation("Authorization", header);

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("\"kind\":\"Status\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/healthz")]
    [InlineData("/version")]
    public async Task HealthAndVersion_AreOpenToEveryone(string path)
    {
        var response = await fixture.SendAsync(null, HttpMethod.Get, path);

        Assert.Equal(HttpStatusCode.OK, response.Status);
    }

    [Fact]
    public async Task TheAdminToken_IsWrittenInTheDataDirectory_AndStoredOnlyAsItsHash()
    {
        var server = fixture.Server;
        var file = Path.Combine(server.Options.DataDir, "admin.token");

        var tokens = await server.GetAsync("/apis/oauth.openshift.io/v1/oauthaccesstokens");

        Assert.Equal(server.Server.AdminToken, (await File.ReadAllTextAsync(file)).Trim());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, (OperatingSystem.IsWindows() ? default : File.GetUnixFileMode(file)));
        Assert.StartsWith("sha256~", server.Server.AdminToken, StringComparison.Ordinal);
        Assert.Contains(Model.Security.OAuthApi.TokenObjectName(server.Server.AdminToken), tokens.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(server.Server.AdminToken, tokens.Text, StringComparison.Ordinal);
        foreach (var storeFile in Directory.GetFiles(server.Options.DataDir, "store.db*").Where(f => !f.EndsWith(".lock", StringComparison.Ordinal)))
        {
            await using var stream = new FileStream(storeFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream, Encoding.Latin1);
            Assert.DoesNotContain(server.Server.AdminToken, await reader.ReadToEndAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task AnHtpasswdUser_GetsAToken_AndAWrongPasswordGets401()
    {
        var token = await fixture.LoginAsync("alice");
        using var client = fixture.Server.ClientFor(null);
        using var wrong = new HttpRequestMessage(HttpMethod.Get, "/openshift/token");
        wrong.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("alice:wrong")));

        using var refused = await client.SendAsync(wrong);
        var me = await fixture.SendAsync(token, HttpMethod.Get, "/apis/user.openshift.io/v1/users/~");

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, me.Status);
        Assert.Equal("alice", me["metadata.name"]);
        Assert.Contains("system:authenticated", me["groups"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARevokedToken_StopsWorking()
    {
        var token = await fixture.LoginAsync("carol");
        var before = await fixture.SendAsync(token, HttpMethod.Get, "/api");

        var revoked = await fixture.SendAsync(token, HttpMethod.Delete, $"/apis/oauth.openshift.io/v1/oauthaccesstokens/{Model.Security.OAuthApi.TokenObjectName(token)}");
        var after = await fixture.SendAsync(token, HttpMethod.Get, "/api");

        Assert.Equal(HttpStatusCode.OK, before.Status);
        Assert.Equal(HttpStatusCode.OK, revoked.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, after.Status);
    }

    [Fact]
    public async Task AUser_CannotRevokeSomeoneElsesToken()
    {
        var alice = await fixture.LoginAsync("alice");
        var bob = await fixture.LoginAsync("bob");

        var response = await fixture.SendAsync(bob, HttpMethod.Delete, $"/apis/oauth.openshift.io/v1/oauthaccesstokens/{Model.Security.OAuthApi.TokenObjectName(alice)}");
        var stillWorks = await fixture.SendAsync(alice, HttpMethod.Get, "/api");

        Assert.Equal(HttpStatusCode.Forbidden, response.Status);
        Assert.Equal(HttpStatusCode.OK, stillWorks.Status);
    }

    [Fact]
    public async Task AnExpiredToken_IsRefused()
    {
        using var data = new TempDirectory("imagestreams-expiry");
        var htpasswd = await Htpasswd.WriteAsync(data.Combine("htpasswd"), ("dave", "pw"));
        await using var server = await TestServer.StartAsync(new ServerOptions { HtpasswdFile = htpasswd, TokenLifetime = TimeSpan.FromSeconds(1) });
        using var anonymous = server.ClientFor(null);
        using var login = new HttpRequestMessage(HttpMethod.Get, "/openshift/token");
        login.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("dave:pw")));
        using var answer = await anonymous.SendAsync(login);
        var token = System.Text.Json.Nodes.JsonNode.Parse(await answer.Content.ReadAsStringAsync())!["token"]!.GetValue<string>();
        using var client = server.ClientFor(token);

        using var fresh = await client.GetAsync("/api");
        // Creation times are kept to the second: past two seconds the one-second token is surely over.
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        using var expired = await client.GetAsync("/api");

        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
    }

    [Fact]
    public async Task TheAdminToken_SurvivesARestart()
    {
        await using var first = await TestServer.StartAsync();
        var token = first.Server.AdminToken;

        await using var second = await first.RestartAsync();
        var response = await second.GetAsync("/api/v1/namespaces");

        Assert.Equal(token, second.Server.AdminToken);
        Assert.Equal(HttpStatusCode.OK, response.Status);
    }
}
