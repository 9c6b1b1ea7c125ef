using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using ImageStreams.Registry.Auth;
using ImageStreams.Registry.Client;
using ImageStreams.Registry.Policy;

namespace ImageStreams.Registry.Http;

/// <summary>
/// The handler chain requests go through, outermost first: user agent, 429 gate (its wait is not part of
/// any attempt's timeout), retry, auth, per-host concurrency limit, request metrics, then the verifying or the lenient
/// sockets handler, so tokens, 429 deadlines and slots are per registry whatever the transport.
/// </summary>
internal sealed class RegistryHttpPipeline : IDisposable
{
    private readonly HttpMessageInvoker invoker;
    private readonly HttpMessageInvoker probe;

    public RegistryHttpPipeline(RegistryClientOptions options, TimeProvider time, Meter meter)
    {
        var tokens = new TokenCache(time);
        var rateLimit = new RateLimitHandler(options, time);
        var concurrency = new ConcurrencyLimitHandler(options.MaxConcurrentRequestsPerRegistry);
        Authentication = new AuthenticationHandler(tokens, options, time);
        var caCertificates = LoadCaBundle(options.CaBundlePath);

        var switcher = new TransportSwitch(CreateTransport(options, caCertificates, verifyTls: true), CreateTransport(options, caCertificates, verifyTls: false));
        concurrency.InnerHandler = new RequestMetricsHandler(meter) { InnerHandler = switcher };
        Authentication.InnerHandler = concurrency;
        var retry = new RetryHandler(options, time) { InnerHandler = Authentication };
        rateLimit.InnerHandler = retry;
        var userAgent = new UserAgentHandler(options.UserAgent) { InnerHandler = rateLimit };
        invoker = new HttpMessageInvoker(userAgent, disposeHandler: true);
        probe = new HttpMessageInvoker(CreateTransport(options, caCertificates, verifyTls: false), disposeHandler: true);
    }

    public AuthenticationHandler Authentication { get; }

    /// <summary>Sends through every handler; the request's <see cref="RegistryRequestContext"/> says whether TLS is verified.</summary>
    public Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        invoker.SendAsync(request, cancellationToken);

    /// <summary>A bare request (no retry, auth or limits) for the one-shot HTTP-only probe.</summary>
    public Task<HttpResponseMessage> ProbeAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        probe.SendAsync(request, cancellationToken);

    public void Dispose()
    {
        invoker.Dispose();
        probe.Dispose();
    }

    private static X509Certificate2Collection? LoadCaBundle(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return null;
        }
        var bundle = new X509Certificate2Collection();
        bundle.ImportFromPemFile(path);
        return bundle;
    }

    private static SocketsHttpHandler CreateTransport(RegistryClientOptions options, X509Certificate2Collection? caCertificates, bool verifyTls)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = true,
            MaxAutomaticRedirections = 10,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = options.ConnectTimeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            UseCookies = false,
        };
        if (!verifyTls)
        {
            // Only for registries the user marked insecure, or on loopback, as Docker does.
#pragma warning disable CA5359
            handler.SslOptions.RemoteCertificateValidationCallback = static (_, _, _, _) => true;
#pragma warning restore CA5359
        }
        else if (caCertificates is { Count: > 0 })
        {
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                TrustedWithBundle(certificate, errors, caCertificates);
        }
        handler.ConnectCallback = GuardedConnect(options.AccessPolicy, options.ConnectCallback);
        return handler;
    }

    /// <summary>
    /// Every connection, whatever led to it (a registry, a token realm, a redirect), is checked here, after name resolution
    /// and before the first packet: blocked hosts, and link-local or metadata addresses, are refused.
    /// </summary>
    private static Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>> GuardedConnect(
        RegistryAccessPolicy policy, Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>>? inner) =>
        async (context, cancellationToken) =>
        {
            var endpoint = context.DnsEndPoint;
            if (policy.RefuseHost(endpoint.Host, endpoint.Port) is { } refused)
            {
                throw new DestinationRefusedException(refused);
            }
            if (inner is not null)
            {
                return await inner(context, cancellationToken).ConfigureAwait(false);
            }
            var addresses = await Dns.GetHostAddressesAsync(endpoint.Host, cancellationToken).ConfigureAwait(false);
            var allowed = addresses.Where(a => RegistryAccessPolicy.RefuseAddress(a) is null).ToArray();
            if (allowed.Length == 0)
            {
                throw addresses.Length == 0
                    ? new HttpRequestException(HttpRequestError.NameResolutionError, $"no address for host \"{endpoint.Host}\"")
                    : new DestinationRefusedException($"host \"{endpoint.Host}\": {RegistryAccessPolicy.RefuseAddress(addresses[0])}");
            }
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(allowed, endpoint.Port, cancellationToken).ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        };

    // The bundle adds roots to the system's: only a chain error may be cured by it, never a name mismatch.
    private static bool TrustedWithBundle(X509Certificate? certificate, SslPolicyErrors errors, X509Certificate2Collection roots)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }
        if (errors != SslPolicyErrors.RemoteCertificateChainErrors || certificate is null)
        {
            return false;
        }
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = new X509Certificate2(certificate);
        return chain.Build(leaf);
    }

    /// <summary>Sends through the verifying or the lenient sockets handler, as the request's context says.</summary>
    private sealed class TransportSwitch(HttpMessageHandler verifying, HttpMessageHandler lenient) : HttpMessageHandler
    {
        private readonly HttpMessageInvoker verifyingInvoker = new(verifying, disposeHandler: true);
        private readonly HttpMessageInvoker lenientInvoker = new(lenient, disposeHandler: true);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            (RegistryRequestContext.Of(request) is { VerifyTls: false } ? lenientInvoker : verifyingInvoker)
                .SendAsync(request, cancellationToken);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                verifyingInvoker.Dispose();
                lenientInvoker.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
