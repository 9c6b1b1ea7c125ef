using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ImageStreams.Model.Meta;
using ImageStreams.Model.Serialization;

namespace ImageStreams.Cli.Api;

/// <summary>
/// The CLI's only way to the server: JSON over HTTP. Failed requests become <see cref="ApiException"/>s carrying
/// the server's <see cref="Status"/>; an unreachable server becomes a <see cref="CliException"/>.
/// </summary>
internal sealed class ApiClient : IDisposable
{
    /// <summary>How long a request (not a watch) may take before the CLI gives up.</summary>
    public static readonly TimeSpan DefaultRequestTimeout = TimeSpan.FromSeconds(60);

    private const string JsonMediaType = "application/json";

    private readonly HttpClient http;
    private readonly TimeSpan requestTimeout;

    public ApiClient(string server, string? token, TimeSpan? requestTimeout = null)
    {
        Server = server;
        this.requestTimeout = requestTimeout ?? DefaultRequestTimeout;
        // Timeouts are applied per request, so a watch can stay open for as long as the user wants.
        http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue(JsonMediaType));
        http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("isctl", ClientVersion.Split('+')[0]));
        if (token is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
    }

    public static string ClientVersion { get; } =
        typeof(ApiClient).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    /// <summary>The base URL, such as http://127.0.0.1:8080.</summary>
    public string Server { get; }

    public Task<JsonObject> GetAsync(string path, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, path, null, requestTimeout, cancellationToken);

    public Task<JsonObject> CreateAsync(string path, JsonObject body, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, path, body, requestTimeout, cancellationToken);

    /// <summary>A create that may take longer than a usual request, such as an import that reads many images from a registry.</summary>
    public Task<JsonObject> CreateAsync(string path, JsonObject body, TimeSpan timeout, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, path, body, timeout, cancellationToken);

    public Task<JsonObject> ReplaceAsync(string path, JsonObject body, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Put, path, body, requestTimeout, cancellationToken);

    public Task<JsonObject> DeleteAsync(string path, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Delete, path, null, requestTimeout, cancellationToken);

    /// <summary>POSTs raw bytes (a binary build input) and returns the created object.</summary>
    public async Task<JsonObject> PostContentAsync(string path, Stream content, string contentType, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Server + path)) { Content = new StreamContent(content) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, limit.Token);
        }
        catch (HttpRequestException e)
        {
            throw new CliException($"cannot reach the server at {Server}: {Reason(e)}", e);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CliException($"the server at {Server} did not accept the upload to {path} within {timeout.TotalSeconds:0}s", e);
        }
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw ToApiException(response.StatusCode, text);
            }
            return JsonNode.Parse(text) as JsonObject ?? throw new CliException($"the server answered POST {path} with JSON that is not an object");
        }
    }

    /// <summary>Copies a plain-text answer (a build log) to <paramref name="output"/> as it arrives, until the server ends it.</summary>
    public async Task CopyTextAsync(string path, TextWriter output, CancellationToken cancellationToken)
    {
        using var response = await ReceiveAsync(HttpMethod.Get, path, null, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw ToApiException(response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
        }
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var reader = new StreamReader(body, Encoding.UTF8);
        var buffer = new char[8192];
        try
        {
            int read;
            while ((read = await reader.ReadAsync(buffer, cancellationToken)) > 0)
            {
                await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                await output.FlushAsync(cancellationToken);
            }
        }
        catch (Exception e) when (e is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
        {
            throw new CliException($"the log stream from {Server} ended unexpectedly: {e.Message}", e);
        }
    }

    /// <summary>Streams the events of <c>path?watch=true</c> until the server ends the stream or the token fires.</summary>
    public async IAsyncEnumerable<WatchEvent<JsonObject>> WatchAsync(string path, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var watchPath = ResourcePaths.WithQuery(path, ("watch", "true"));
        using var response = await ReceiveAsync(HttpMethod.Get, watchPath, null, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw ToApiException(response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
        }
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        // Events are JSON objects one after another (Kubernetes puts a newline between them).
        var events = JsonSerializer.DeserializeAsyncEnumerable<JsonObject>(body, topLevelValues: true, ResourceJson.Options, cancellationToken);
        await using var enumerator = events.GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            JsonObject? item;
            try
            {
                if (!await enumerator.MoveNextAsync())
                {
                    yield break;
                }
                item = enumerator.Current;
            }
            catch (JsonException e)
            {
                throw new CliException($"the server sent an invalid watch event for {path}: {e.Message}", e);
            }
            catch (Exception e) when (e is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
            {
                throw new CliException($"the watch on {Server} ended unexpectedly: {e.Message}", e);
            }
            if (item?["type"]?.GetValue<string>() is not { } type || item["object"] is not JsonObject obj)
            {
                continue;
            }
            if (type == WatchEvent<JsonObject>.Error)
            {
                throw new ApiException(ResourceJson.FromNode<Status>(obj));
            }
            yield return new WatchEvent<JsonObject>(type, obj);
        }
    }

    public void Dispose() => http.Dispose();

    private async Task<JsonObject> SendAsync(HttpMethod method, string path, JsonObject? body, TimeSpan limit, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(limit);
        try
        {
            using var response = await ReceiveAsync(method, path, body, HttpCompletionOption.ResponseContentRead, timeout.Token);
            var text = await response.Content.ReadAsStringAsync(timeout.Token);
            if (!response.IsSuccessStatusCode)
            {
                throw ToApiException(response.StatusCode, text);
            }
            if (string.IsNullOrWhiteSpace(text))
            {
                return [];
            }
            try
            {
                return JsonNode.Parse(text) as JsonObject
                       ?? throw new CliException($"the server answered {method} {path} with JSON that is not an object");
            }
            catch (JsonException e)
            {
                throw new CliException($"the server answered {method} {path} with invalid JSON: {e.Message}", e);
            }
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CliException($"the server at {Server} did not answer {method} {path} within {limit.TotalSeconds:0}s", e);
        }
    }

    private async Task<HttpResponseMessage> ReceiveAsync(
        HttpMethod method, string path, JsonObject? body, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(Server + path));
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(ResourceJson.Options), Encoding.UTF8, JsonMediaType);
        }
        try
        {
            return await http.SendAsync(request, completion, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new CliException($"cannot reach the server at {Server}: {Reason(e)}", e);
        }
    }

    private static string Reason(HttpRequestException e)
    {
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is SocketException socket)
            {
                return socket.Message;
            }
        }
        return e.InnerException?.Message ?? e.Message;
    }

    /// <summary>The server's Status body when there is one; otherwise Kubernetes' generic message for the HTTP code.</summary>
    internal static ApiException ToApiException(HttpStatusCode code, string body)
    {
        try
        {
            if (JsonNode.Parse(body) is JsonObject node && node["kind"]?.GetValue<string>() == "Status")
            {
                var status = ResourceJson.FromNode<Status>(node);
                return new ApiException(status.Code == 0 ? status with { Code = (int)code } : status);
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // Not a Status: fall through to the generic message.
        }
        var (reason, message) = (int)code switch
        {
            400 => (StatusReasons.BadRequest, "the server rejected our request for an unknown reason"),
            401 => (StatusReasons.Unauthorized, "Unauthorized"),
            403 => (StatusReasons.Forbidden, "the server does not allow access to the requested resource"),
            404 => (StatusReasons.NotFound, "the server could not find the requested resource"),
            405 => (StatusReasons.MethodNotAllowed, "the server does not allow this method on the requested resource"),
            409 => (StatusReasons.Conflict, "the server reported a conflict"),
            413 => (StatusReasons.RequestEntityTooLarge, "the server has rejected the request because it is too large"),
            415 => (StatusReasons.UnsupportedMediaType, "the server does not accept the format of the request body"),
            422 => (StatusReasons.Invalid, "the server rejected our request due to an error in our request"),
            429 => (StatusReasons.TooManyRequests, "the server has received too many requests and has asked us to try again later"),
            503 => (StatusReasons.ServiceUnavailable, "the server is currently unable to handle the request"),
            504 => (StatusReasons.Timeout, "the server was unable to return a response in the time allotted"),
            _ => (StatusReasons.InternalError, $"an error on the server (\"{Snippet(body)}\") has prevented the request from succeeding"),
        };
        return new ApiException(new Status { State = Status.Failure, Code = (int)code, Reason = reason, Message = message });
    }

    private static string Snippet(string body)
    {
        var line = body.ReplaceLineEndings(" ").Trim();
        return line.Length <= 200 ? line : line[..200] + "...";
    }
}
