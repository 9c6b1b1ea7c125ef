using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ImageStreams.Testing.Http;

/// <summary>One answer of a <see cref="ScriptedHttpServer"/>.</summary>
public sealed record ScriptedResponse
{
    public int Status { get; init; } = 200;

    public byte[] Body { get; init; } = [];

    public string? ContentType { get; init; }

    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>Waited before answering (a slow registry).</summary>
    public TimeSpan Delay { get; init; }

    /// <summary>Pass the request to the upstream instead (the real registry behind the script).</summary>
    public bool Forward { get; init; }

    /// <summary>Drop the connection without answering.</summary>
    public bool Abort { get; init; }

    public static ScriptedResponse WithStatus(int status, string? body = null) =>
        new() { Status = status, Body = body is null ? [] : Encoding.UTF8.GetBytes(body), ContentType = body is null ? null : "application/json" };

    public static ScriptedResponse Bytes(byte[] body, string contentType, IReadOnlyDictionary<string, string>? headers = null) =>
        new() { Body = body, ContentType = contentType, Headers = headers ?? new Dictionary<string, string>() };

    public static ScriptedResponse Text(string body, string contentType = "application/json", IReadOnlyDictionary<string, string>? headers = null) =>
        Bytes(Encoding.UTF8.GetBytes(body), contentType, headers);

    public static ScriptedResponse Forwarded { get; } = new() { Forward = true };

    public static ScriptedResponse Dropped { get; } = new() { Abort = true };
}

/// <summary>A request the server received.</summary>
public sealed record RecordedRequest(string Method, string PathAndQuery, IReadOnlyDictionary<string, string> Headers)
{
    public string Path => PathAndQuery.Split('?')[0];

    /// <summary>The request body when it was small (64 KiB at most); empty otherwise.</summary>
    public byte[] Body { get; init; } = [];

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

/// <summary>
/// An HTTP server on loopback (Kestrel, port 0) that answers from a script, for faults real registries
/// do not produce: 429 with Retry-After, 5xx then success, garbage, slow answers, wrong digests. Requests
/// with no script go to an upstream when one is given (so faults can be injected in front of a real
/// registry), else <c>/v2/</c> answers 200 and the rest 404. Every request is recorded.
/// </summary>
public sealed class ScriptedHttpServer : IAsyncDisposable
{
    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Transfer-Encoding", "Upgrade", "Host", "Proxy-Connection", "TE", "Trailer",
    };

    private readonly ConcurrentDictionary<string, ResponseScript> scripts = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<RecordedRequest> requests = new();
    private readonly WebApplication app;
    private readonly HttpClient? upstream;
    private int inFlight;
    private int maxInFlight;

    private ScriptedHttpServer(WebApplication app, Uri? upstreamBase)
    {
        this.app = app;
        if (upstreamBase is not null)
        {
            upstream = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = upstreamBase };
        }
    }

    public Uri BaseUri { get; private set; } = null!;

    /// <summary><c>127.0.0.1:port</c>, what a registry reference names.</summary>
    public string Authority => BaseUri.Authority;

    public IReadOnlyList<RecordedRequest> Requests => requests.ToArray();

    /// <summary>The most requests that were being answered at the same time.</summary>
    public int MaxConcurrentRequests => Volatile.Read(ref maxInFlight);

    /// <param name="upstream">Where requests without a script go (a real registry); null for the built-in answers.</param>
    /// <param name="certificate">Serve HTTPS with this certificate (and its private key); null for plain HTTP.</param>
    public static async Task<ScriptedHttpServer> StartAsync(Uri? upstream = null, X509Certificate2? certificate = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, 0, listen =>
        {
            if (certificate is not null)
            {
                listen.UseHttps(certificate);
            }
        }));
        var app = builder.Build();
        var server = new ScriptedHttpServer(app, upstream);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUri = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal) + "/");
        return server;
    }

    /// <summary>
    /// Answers <paramref name="method"/> <paramref name="pathAndQuery"/> with the steps in turn; the last one
    /// repeats. A path without a query also matches requests with any query. HEAD falls back to the GET script.
    /// </summary>
    public void Script(string method, string pathAndQuery, params ScriptedResponse[] steps)
    {
        if (steps.Length == 0)
        {
            throw new ArgumentException("a script needs at least one response", nameof(steps));
        }
        scripts[$"{method.ToUpperInvariant()} {pathAndQuery}"] = new ResponseScript(steps);
    }

    public void ClearRequests() => requests.Clear();

    /// <summary>Requests whose path (without query) is <paramref name="path"/>.</summary>
    public int CountRequests(string method, string path) =>
        Requests.Count(r => r.Method == method && r.Path == path);

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        upstream?.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var current = Interlocked.Increment(ref inFlight);
        for (var seen = Volatile.Read(ref maxInFlight); current > seen; seen = Volatile.Read(ref maxInFlight))
        {
            Interlocked.CompareExchange(ref maxInFlight, current, seen);
        }
        try
        {
            var request = context.Request;
            var pathAndQuery = request.Path.Value + request.QueryString.Value;
            byte[] body = [];
            if (request.ContentLength is > 0 and <= 64 * 1024)
            {
                // Kept for the test to read, and rewound for a forward upstream.
                request.EnableBuffering();
                using var copy = new MemoryStream();
                await request.Body.CopyToAsync(copy, context.RequestAborted);
                request.Body.Position = 0;
                body = copy.ToArray();
            }
            requests.Enqueue(new RecordedRequest(
                request.Method,
                pathAndQuery,
                request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase))
            {
                Body = body,
            });
            var step = Find(request.Method, request.Path.Value ?? "", pathAndQuery)?.Next() ?? (upstream is null ? Builtin(request.Path.Value) : ScriptedResponse.Forwarded);
            await RespondAsync(context, step, pathAndQuery);
        }
        finally
        {
            Interlocked.Decrement(ref inFlight);
        }
    }

    private ResponseScript? Find(string method, string path, string pathAndQuery)
    {
        foreach (var candidate in method == "HEAD" ? new[] { "HEAD", "GET" } : [method])
        {
            if (scripts.TryGetValue($"{candidate} {pathAndQuery}", out var exact) || scripts.TryGetValue($"{candidate} {path}", out exact))
            {
                return exact;
            }
        }
        return null;
    }

    private static ScriptedResponse Builtin(string? path) =>
        path == "/v2/"
            ? ScriptedResponse.Text("{}", headers: new Dictionary<string, string> { ["Docker-Distribution-Api-Version"] = "registry/2.0" })
            : ScriptedResponse.WithStatus(404, """{"errors":[{"code":"NOT_FOUND","message":"no script for this request"}]}""");

    private async Task RespondAsync(HttpContext context, ScriptedResponse step, string pathAndQuery)
    {
        if (step.Delay > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(step.Delay, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
        if (step.Abort)
        {
            context.Abort();
            return;
        }
        if (step.Forward)
        {
            await ForwardAsync(context, pathAndQuery);
            return;
        }
        var response = context.Response;
        response.StatusCode = step.Status;
        if (step.ContentType is not null)
        {
            response.ContentType = step.ContentType;
        }
        foreach (var (name, value) in step.Headers)
        {
            response.Headers[name] = value;
        }
        response.ContentLength = step.Body.Length;
        if (!HttpMethods.IsHead(context.Request.Method) && step.Body.Length > 0)
        {
            await response.Body.WriteAsync(step.Body, context.RequestAborted);
        }
    }

    private async Task ForwardAsync(HttpContext context, string pathAndQuery)
    {
        using var message = new HttpRequestMessage(new HttpMethod(context.Request.Method), pathAndQuery.TrimStart('/'));
        foreach (var header in context.Request.Headers.Where(h => !HopByHop.Contains(h.Key)))
        {
            message.Headers.TryAddWithoutValidation(header.Key, header.Value.ToArray());
        }
        using var answer = await upstream!.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
        var response = context.Response;
        response.StatusCode = (int)answer.StatusCode;
        foreach (var header in answer.Headers.Concat(answer.Content.Headers).Where(h => !HopByHop.Contains(h.Key)))
        {
            response.Headers[header.Key] = header.Value.ToArray();
        }
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await answer.Content.CopyToAsync(response.Body, context.RequestAborted);
        }
    }

    private sealed class ResponseScript(ScriptedResponse[] steps)
    {
        private int next;

        public ScriptedResponse Next()
        {
            var index = Interlocked.Increment(ref next) - 1;
            return steps[Math.Min(index, steps.Length - 1)];
        }
    }
}
