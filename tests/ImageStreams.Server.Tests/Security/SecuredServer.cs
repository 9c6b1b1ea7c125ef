using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using ImageStreams.Server.Tests.Support;
using ImageStreams.Testing.Processes;

namespace ImageStreams.Server.Tests.Security;

/// <summary>
/// A server with htpasswd users alice, bob and carol, and namespaces team-a (alice edits, bob views) and team-b
/// (nobody but the admin), made through the API as an admin would.
/// </summary>
public sealed class SecuredServer : IAsyncLifetime
{
    public const string Password = "correct horse";

    public TestServer Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var data = new TempDirectory("imagestreams-secured");
        var htpasswd = await Htpasswd.WriteAsync(data.Combine("htpasswd"), ("alice", Password), ("bob", Password), ("carol", Password));
        Server = await TestServer.StartAsync(new ServerOptions { HtpasswdFile = htpasswd }, data);
        foreach (var ns in new[] { "team-a", "team-b" })
        {
            await Server.CreateNamespaceAsync(ns);
        }
        await BindAsync("team-a", "edit", "alice");
        await BindAsync("team-a", "view", "bob");
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();

    public async Task BindAsync(string ns, string role, string user)
    {
        var response = await Server.PostAsync($"/apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/rolebindings", Binding(role, user));
        Assert.True(response.Status == HttpStatusCode.Created, response.Text);
    }

    public static JsonObject Binding(string role, string user) => new()
    {
        ["apiVersion"] = "rbac.authorization.k8s.io/v1",
        ["kind"] = "RoleBinding",
        ["metadata"] = new JsonObject { ["name"] = $"{role}-{user}" },
        ["roleRef"] = new JsonObject { ["apiGroup"] = "rbac.authorization.k8s.io", ["kind"] = "ClusterRole", ["name"] = role },
        ["subjects"] = new JsonArray(new JsonObject { ["kind"] = "User", ["apiGroup"] = "rbac.authorization.k8s.io", ["name"] = user }),
    };

    /// <summary>A token for an htpasswd user from the token endpoint, as <c>isctl login -u/-p</c> gets one.</summary>
    public async Task<string> LoginAsync(string user, string password = Password)
    {
        using var client = Server.ClientFor(null);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/openshift/token");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonNode.Parse(text)!["token"]!.GetValue<string>();
    }

    /// <summary>Sends a request as <paramref name="token"/> (null: anonymous).</summary>
    public async Task<ApiResponse> SendAsync(string? token, HttpMethod method, string path, JsonNode? body = null)
    {
        using var client = Server.ClientFor(token);
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }
        using var response = await client.SendAsync(request);
        return await ApiResponse.ReadAsync(response);
    }

    public static JsonObject Stream(string name) => new()
    {
        ["apiVersion"] = "image.openshift.io/v1",
        ["kind"] = "ImageStream",
        ["metadata"] = new JsonObject { ["name"] = name },
    };

    public static JsonObject Secret(string name) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Secret",
        ["metadata"] = new JsonObject { ["name"] = name },
        ["stringData"] = new JsonObject { ["password"] = "hunter2" },
    };
}
