using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Security.Cryptography.X509Certificates;
using ImageStreams.Testing.Http;
using ImageStreams.Testing.Processes;

namespace ImageStreams.Server.Tests.Support;

/// <summary>What the API answered: the status code and the body as JSON (null when it is not JSON).</summary>
public sealed record ApiResponse(HttpStatusCode Status, JsonNode? Body, string Text, HttpResponseHeaders Headers)
{
    /// <summary>Reads an answer: its body as JSON when it is JSON, its text either way (health checks, YAML).</summary>
    public static async Task<ApiResponse> ReadAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        JsonNode? json = null;
        try
        {
            json = text.Length > 0 ? JsonNode.Parse(text) : null;
        }
        catch (System.Text.Json.JsonException)
        {
            // Not JSON: the text is still there.
        }
        return new ApiResponse(response.StatusCode, json, text, response.Headers);
    }

    public JsonObject Object => Body as JsonObject ?? throw new InvalidOperationException($"not a JSON object ({(int)Status}): {Text}");

    public string? this[string path] => Lookup(Body, path);

    /// <summary>A value by dotted path, with [n] for array items: <c>spec.tags[0].name</c>.</summary>
    public static string? Lookup(JsonNode? node, string path)
    {
        foreach (var part in path.Split('.'))
        {
            var name = part;
            int? index = null;
            var bracket = part.IndexOf('[', StringComparison.Ordinal);
            if (bracket >= 0)
            {
                name = part[..bracket];
                index = int.Parse(part[(bracket + 1)..^1], System.Globalization.CultureInfo.InvariantCulture);
            }
            node = name.Length > 0 ? node?[name] : node;
            if (index is not null)
            {
                node = node is JsonArray array && index < array.Count ? array[index.Value] : null;
            }
        }
        return node switch
        {
            null => null,
            JsonValue value when value.TryGetValue<string>(out var text) => text,
            _ => node.ToJsonString(),
        };
    }
}

/// <summary>
/// A real server on 127.0.0.1 with a free port and its own data directory, and a client for it logged in as the admin.
/// With TLS it serves a certificate of a test authority (kubectl sends tokens over HTTPS only).
/// </summary>
public sealed class TestServer : IAsyncDisposable
{
    private readonly Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? _services;

    private TestServer(ImageStreamsServer server, TempDirectory data, ServerOptions options, string? authorityPath,
        Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? services = null)
    {
        _services = services;
        _services = services;
        Server = server;
        Data = data;
        Options = options;
        AuthorityPath = authorityPath;
        Client = ClientFor(server.AdminToken);
    }

    public ImageStreamsServer Server { get; }

    /// <summary>The PEM file of the authority of the server's certificate; null for plain HTTP.</summary>
    public string? AuthorityPath { get; }

    public TempDirectory Data { get; }

    public ServerOptions Options { get; }

    /// <summary>A client logged in as the admin.</summary>
    public HttpClient Client { get; }

    /// <summary>A client that sends <paramref name="token"/> as its bearer token, or no credentials when it is null.</summary>
    public HttpClient ClientFor(string? token)
    {
        var handler = new HttpClientHandler();
        if (AuthorityPath is { } authority)
        {
            var roots = new X509Certificate2Collection();
            roots.ImportFromPemFile(authority);
            handler.ServerCertificateCustomValidationCallback = (_, certificate, _, _) =>
            {
                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.AddRange(roots);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return certificate is not null && chain.Build(certificate);
            };
        }
        var client = new HttpClient(handler) { BaseAddress = Server.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return client;
    }

    /// <summary><c>127.0.0.1:PORT</c>.</summary>
    public string HostPort => Server.BaseAddress.Authority;

    /// <param name="services">Services added after the server's own (a test's image builder).</param>
    public static async Task<TestServer> StartAsync(ServerOptions? options = null, TempDirectory? data = null, bool tls = false,
        Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? services = null)
    {
        data ??= new TempDirectory("imagestreams-server");
        options = (options ?? new ServerOptions()) with { Listen = "127.0.0.1:0", DataDir = data.Combine("data") };
        string? authority = null;
        if (tls)
        {
            using var certificates = new TestCertificates();
            authority = data.Combine("ca.crt");
            certificates.WriteAuthorityPem(authority);
            certificates.WriteServerPem(System.Net.IPAddress.Loopback, data.Combine("server.crt"), data.Combine("server.key"));
            options = options with { TlsCertFile = data.Combine("server.crt"), TlsPrivateKeyFile = data.Combine("server.key") };
        }
        return new TestServer(await ImageStreamsServer.StartAsync(options, services), data, options, authority, services);
    }

    /// <summary>Stops this server and starts a new one on the same data directory (a restart), with the same or other services.</summary>
    public async Task<TestServer> RestartAsync(Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? services = null)
    {
        Client.Dispose();
        await Server.DisposeAsync();
        services ??= _services;
        return new TestServer(await ImageStreamsServer.StartAsync(Options, services), Data, Options, AuthorityPath, services);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
        Data.Dispose();
    }

    public Task<ApiResponse> GetAsync(string path, string? accept = null) => SendAsync(HttpMethod.Get, path, (byte[]?)null, null, accept);

    public Task<ApiResponse> DeleteAsync(string path) => SendAsync(HttpMethod.Delete, path, (byte[]?)null, null);

    public Task<ApiResponse> PostAsync(string path, JsonNode body) => SendAsync(HttpMethod.Post, path, body.ToJsonString(), "application/json");

    public Task<ApiResponse> PutAsync(string path, JsonNode body) => SendAsync(HttpMethod.Put, path, body.ToJsonString(), "application/json");

    public Task<ApiResponse> PatchAsync(string path, string contentType, string body) => SendAsync(HttpMethod.Patch, path, body, contentType);

    public Task<ApiResponse> SendAsync(HttpMethod method, string path, string? body, string? contentType, string? accept = null) =>
        SendAsync(method, path, body is null ? null : Encoding.UTF8.GetBytes(body), contentType, accept);

    public async Task<ApiResponse> SendAsync(HttpMethod method, string path, byte[]? body, string? contentType, string? accept = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            if (contentType is not null)
            {
                request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
            }
        }
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }
        using var response = await Client.SendAsync(request);
        return await ApiResponse.ReadAsync(response);
    }

    public async Task CreateNamespaceAsync(string name)
    {
        var response = await PostAsync("/api/v1/namespaces", new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Namespace",
            ["metadata"] = new JsonObject { ["name"] = name },
        });
        Assert.True(response.Status == HttpStatusCode.Created, response.Text);
    }
}
