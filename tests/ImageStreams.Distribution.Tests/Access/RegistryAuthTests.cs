using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using ImageStreams.Distribution.Tests.Support;
using ImageStreams.Server;
using ImageStreams.Testing.Processes;
using ImageStreams.Testing.Registry;

namespace ImageStreams.Distribution.Tests.Access;

/// <summary>
/// Registry rights through the real skopeo with <c>--creds</c>: alice edits team-a, bob views it, nobody but the admin
/// sees team-b. Credentials go through the Docker token flow (the 401's Bearer challenge, then /openshift/token).
/// </summary>
public sealed class RegistryAuthTests : IAsyncLifetime
{
    private const string Password = "s3cret pass";

    private readonly TempDirectory files = new("registry-auth");
    private readonly TestImages images = new();
    private RegistryServer server = null!;

    public async Task InitializeAsync()
    {
        var htpasswd = await Htpasswd.WriteAsync(files.Combine("htpasswd"), ("alice", Password), ("bob", Password));
        server = await RegistryServer.StartAsync(new ServerOptions { HtpasswdFile = htpasswd });
        foreach (var ns in new[] { "team-a", "team-b" })
        {
            var (status, body) = await server.PostJsonAsync("/api/v1/namespaces", new JsonObject { ["metadata"] = new JsonObject { ["name"] = ns } });
            Assert.True(status == HttpStatusCode.Created, body?.ToJsonString());
        }
        await BindAsync("edit", "alice");
        await BindAsync("view", "bob");
        await images.BuildAsync("app");
    }

    public async Task DisposeAsync()
    {
        await server.DisposeAsync();
        images.Dispose();
        files.Dispose();
    }

    [Fact]
    public async Task AnEditorPushes_AViewerPulls_AndTheViewerCannotPush()
    {
        var reference = $"{server.Host}/team-a/app:v1";
        var alice = "alice:" + await TokenAsync("alice");
        var bob = "bob:" + await TokenAsync("bob");

        var pushed = await Skopeo.TryPushAsync(images.LayoutPath, "app", reference, alice);
        var pulled = await Skopeo.TryPullAsync(reference, files.Combine("bob-pull"), bob);
        var refused = await Skopeo.TryPushAsync(images.LayoutPath, "app", $"{server.Host}/team-a/bobs:v1", bob);

        Assert.True(pushed.ExitCode == 0, pushed.ToString());
        Assert.True(pulled.ExitCode == 0, pulled.ToString());
        Assert.True(File.Exists(Path.Combine(files.Combine("bob-pull"), "manifest.json")));
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("denied", refused.StandardError, StringComparison.OrdinalIgnoreCase);
        Assert.Null(await server.GetStreamAsync("team-a", "bobs"));
    }

    [Fact]
    public async Task AnHtpasswdPassword_WorksAsCreds_AndAWrongOneDoesNot()
    {
        var pushed = await Skopeo.TryPushAsync(images.LayoutPath, "app", $"{server.Host}/team-a/bypassword:v1", $"alice:{Password}");
        var wrong = await Skopeo.TryPushAsync(images.LayoutPath, "app", $"{server.Host}/team-a/bypassword:v2", "alice:wrong");

        Assert.True(pushed.ExitCode == 0, pushed.ToString());
        Assert.NotEqual(0, wrong.ExitCode);
        Assert.Contains("authentication required", wrong.StandardError, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task WithoutCredentials_PullAndPushAreRefused()
    {
        await images.PushAsync("app", $"{server.Host}/team-a/private:v1", credentials: server.Credentials);

        var pulled = await Skopeo.TryPullAsync($"{server.Host}/team-a/private:v1", files.Combine("anonymous"), null);
        var pushed = await Skopeo.TryPushAsync(images.LayoutPath, "app", $"{server.Host}/team-a/anonymous:v1", null);

        Assert.NotEqual(0, pulled.ExitCode);
        Assert.Contains("authentication required", pulled.StandardError, StringComparison.OrdinalIgnoreCase);
        Assert.NotEqual(0, pushed.ExitCode);
        Assert.Null(await server.GetStreamAsync("team-a", "anonymous"));
    }

    [Fact]
    public async Task AViewersTokenCannotPull_FromANamespaceItCannotView()
    {
        await images.PushAsync("app", $"{server.Host}/team-b/hidden:v1", credentials: server.Credentials);

        var pulled = await Skopeo.TryPullAsync($"{server.Host}/team-b/hidden:v1", files.Combine("hidden"), "bob:" + await TokenAsync("bob"));

        Assert.NotEqual(0, pulled.ExitCode);
        Assert.Contains("denied", pulled.StandardError, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task AMountFromANamespaceTheUserCannotView_IsRefused_WhileTheAdminsMountWorks()
    {
        var blob = Encoding.UTF8.GetBytes("layer of team-b " + Guid.NewGuid());
        var digest = await server.UploadBlobAsync("team-b/hidden", blob);
        var mount = $"/v2/team-a/app/blobs/uploads/?mount={digest}&from=team-b/hidden";

        using var asAlice = await SendAsync(HttpMethod.Post, mount, await TokenAsync("alice"));
        using var asAdmin = await SendAsync(HttpMethod.Post, mount, server.Server.AdminToken);
        using var aliceReads = await SendAsync(HttpMethod.Head, $"/v2/team-b/hidden/blobs/{digest}", await TokenAsync("alice"));

        // Refused is an ordinary upload (202), as the spec asks: nothing of team-b is linked or revealed.
        Assert.Equal(HttpStatusCode.Accepted, asAlice.StatusCode);
        Assert.Equal(HttpStatusCode.Created, asAdmin.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, aliceReads.StatusCode);
    }

    [Fact]
    public async Task AnAnonymousRequest_IsChallengedToTheTokenEndpoint_WhichAnswersInTheDockerTokenForm()
    {
        using var ping = await SendAsync(HttpMethod.Get, "/v2/", null);
        using var tokenRequest = new HttpRequestMessage(HttpMethod.Get, $"/openshift/token?service={server.Host}&scope=repository:team-a/app:pull,push");
        tokenRequest.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"alice:{Password}")));
        using var anonymousClient = new HttpClient { BaseAddress = server.Server.BaseAddress };
        using var tokenAnswer = await anonymousClient.SendAsync(tokenRequest);
        var body = JsonNode.Parse(await tokenAnswer.Content.ReadAsStringAsync())!;
        using var withToken = await SendAsync(HttpMethod.Get, "/v2/", body["token"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.Unauthorized, ping.StatusCode);
        Assert.Equal($"Bearer realm=\"http://{server.Host}/openshift/token\",service=\"{server.Host}\"", ping.Headers.WwwAuthenticate.ToString());
        Assert.Contains("\"UNAUTHORIZED\"", await ping.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, tokenAnswer.StatusCode);
        Assert.Equal(body["token"]!.GetValue<string>(), body["access_token"]!.GetValue<string>());
        Assert.InRange(body["expires_in"]!.GetValue<long>(), 86_000, 86_400);
        Assert.NotNull(body["issued_at"]);
        Assert.Equal(HttpStatusCode.OK, withToken.StatusCode);
    }

    private async Task BindAsync(string role, string user)
    {
        var (status, body) = await server.PostJsonAsync("/apis/rbac.authorization.k8s.io/v1/namespaces/team-a/rolebindings", new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = $"{role}-{user}" },
            ["roleRef"] = new JsonObject { ["apiGroup"] = "rbac.authorization.k8s.io", ["kind"] = "ClusterRole", ["name"] = role },
            ["subjects"] = new JsonArray(new JsonObject { ["kind"] = "User", ["name"] = user }),
        });
        Assert.True(status == HttpStatusCode.Created, body?.ToJsonString());
    }

    private async Task<string> TokenAsync(string user)
    {
        using var client = new HttpClient { BaseAddress = server.Server.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/openshift/token");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{Password}")));
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["token"]!.GetValue<string>();
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? token)
    {
        using var client = new HttpClient { BaseAddress = server.Server.BaseAddress };
        using var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return await client.SendAsync(request);
    }
}
