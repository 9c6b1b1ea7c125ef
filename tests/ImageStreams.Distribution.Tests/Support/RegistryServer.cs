using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using ImageStreams.Server;
using ImageStreams.Testing.Processes;

namespace ImageStreams.Distribution.Tests.Support;

/// <summary>The whole server (API, registry, controllers) on 127.0.0.1, a free port and its own data directory.</summary>
public sealed class RegistryServer : IAsyncDisposable
{
    private readonly TempDirectory data;

    private RegistryServer(ImageStreamsServer server, TempDirectory data, ServerOptions options)
    {
        Server = server;
        this.data = data;
        Options = options;
        Client = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", server.AdminToken);
    }

    public ImageStreamsServer Server { get; }

    public ServerOptions Options { get; }

    /// <summary>A client logged in as the admin.</summary>
    public HttpClient Client { get; }

    /// <summary>The admin's <c>user:token</c> for skopeo's and buildah's <c>--creds</c>.</summary>
    public string Credentials => "admin:" + Server.AdminToken;

    /// <summary><c>127.0.0.1:PORT</c>: the registry host of every stream's repository.</summary>
    public string Host => Server.BaseAddress.Authority;

    /// <summary>Where the registry keeps its files.</summary>
    public string RegistryRoot => Path.Combine(Options.DataDir, "registry");

    public static async Task<RegistryServer> StartAsync(ServerOptions? options = null)
    {
        var data = new TempDirectory("imagestreams-registry");
        options = (options ?? new ServerOptions()) with { Listen = "127.0.0.1:0", DataDir = data.Combine("data") };
        return new RegistryServer(await ImageStreamsServer.StartAsync(options), data, options);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
        data.Dispose();
    }

    /// <summary>Creates a namespace with a fresh name and returns it.</summary>
    public async Task<string> NewNamespaceAsync()
    {
        var name = "t-" + Guid.NewGuid().ToString("N")[..10];
        using var response = await Client.PostAsync("/api/v1/namespaces", Json(new JsonObject { ["metadata"] = new JsonObject { ["name"] = name } }));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return name;
    }

    public async Task<JsonNode?> GetJsonAsync(string path)
    {
        using var response = await Client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode ? JsonNode.Parse(text) : null;
    }

    public async Task<(HttpStatusCode Status, JsonNode? Body)> PostJsonAsync(string path, JsonNode body)
    {
        using var response = await Client.PostAsync(path, Json(body));
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length > 0 ? JsonNode.Parse(text) : null);
    }

    public Task<JsonNode?> GetStreamAsync(string ns, string name) =>
        GetJsonAsync($"/apis/image.openshift.io/v1/namespaces/{ns}/imagestreams/{name}");

    public Task<JsonNode?> GetImageAsync(string digest) => GetJsonAsync($"/apis/image.openshift.io/v1/images/{digest}");

    /// <summary>Sends a registry request; the caller disposes the answer.</summary>
    public Task<HttpResponseMessage> SendAsync(
        HttpMethod method, string path, byte[]? body = null, string? contentType = null, IDictionary<string, string>? headers = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            if (contentType is not null)
            {
                request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
            }
        }
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            if (!request.Headers.TryAddWithoutValidation(name, value))
            {
                request.Content ??= new ByteArrayContent([]);
                request.Content.Headers.TryAddWithoutValidation(name, value);
            }
        }
        return Client.SendAsync(request);
    }

    /// <summary>Uploads a blob in one POST and one PUT; returns its digest.</summary>
    public async Task<string> UploadBlobAsync(string repository, byte[] content)
    {
        var digest = DigestOf(content);
        using var start = await SendAsync(HttpMethod.Post, $"/v2/{repository}/blobs/uploads/");
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        using var put = await SendAsync(HttpMethod.Put, $"{start.Headers.Location}?digest={digest}", content, "application/octet-stream");
        Assert.True(put.StatusCode == HttpStatusCode.Created, await put.Content.ReadAsStringAsync());
        return digest;
    }

    public static string DigestOf(byte[] content) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));

    private static StringContent Json(JsonNode body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");
}
