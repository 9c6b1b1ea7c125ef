using System.Collections.Concurrent;
using System.Net;
using ImageStreams.Registry.Auth;
using ImageStreams.Registry.Client;
using ImageStreams.Registry.Errors;

namespace ImageStreams.Registry.Http;

/// <summary>Where a registry's API is: the base URI, and whether its TLS certificate is verified.</summary>
internal sealed record RegistryEndpoint(Uri BaseUri, bool VerifyTls);

/// <summary>
/// Pings <c>/v2/</c> once per registry (and insecure flag) to pick the transport, check that the server
/// speaks the v2 API and learn its auth challenge; the result is kept, so later calls cost no extra request, and
/// concurrent first calls share one ping.
/// </summary>
internal sealed class RegistryEndpoints(RegistryHttpPipeline pipeline, RegistryClientOptions options, TimeProvider time)
{
    private readonly ConcurrentDictionary<(string Host, bool Insecure), RegistryEndpoint> known = new();
    private readonly ConcurrentDictionary<(string Host, bool Insecure), Lazy<Task<RegistryEndpoint>>> pinging = new();

    /// <remarks>
    /// Requests that find the registry unknown at the same time share one ping, and each waits for it until its own
    /// cancellation; its failure (naming the image of the request that started it) is theirs too. A failed ping is not
    /// remembered: the next request pings again.
    /// </remarks>
    public async Task<RegistryEndpoint> ResolveAsync(RegistryRequestContext context, CancellationToken cancellationToken)
    {
        var key = (context.RegistryHost.ToLowerInvariant(), context.Insecure);
        if (known.TryGetValue(key, out var endpoint))
        {
            return endpoint;
        }
        var ping = pinging.GetOrAdd(key, static (key, state) => new Lazy<Task<RegistryEndpoint>>(
            () => state.Endpoints.PingAndRememberAsync(key, state.Context)), (Endpoints: this, Context: context));
        return await ping.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    // Not cancelled with any one caller: others may be waiting for it. Every attempt has its timeout.
    private async Task<RegistryEndpoint> PingAndRememberAsync((string Host, bool Insecure) key, RegistryRequestContext context)
    {
        try
        {
            var endpoint = await PingAsync(context, CancellationToken.None).ConfigureAwait(false);
            known[key] = endpoint;
            return endpoint;
        }
        finally
        {
            // Only this ping is in the table under its key until it is removed here.
            pinging.TryRemove(key, out _);
        }
    }

    private async Task<RegistryEndpoint> PingAsync(RegistryRequestContext context, CancellationToken cancellationToken)
    {
        var policy = TransportPolicy.Decide(context.RegistryHost, context.Insecure);
        Exception? failure = null;
        foreach (var scheme in policy.Schemes)
        {
            var baseUri = new Uri($"{scheme}://{context.RegistryHost}/");
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(baseUri, "v2/"));
            request.Options.Set(RegistryRequestContext.Key, context with { Kind = RequestKind.Ping, VerifyTls = policy.VerifyTls });
            HttpResponseMessage response;
            try
            {
                response = await pipeline.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpRequestException or TimeoutException && !cancellationToken.IsCancellationRequested)
            {
                failure = ex;
                continue;
            }
            using (response)
            {
                switch (response.StatusCode)
                {
                    case HttpStatusCode.OK:
                        pipeline.Authentication.Learn(baseUri.Authority, null);
                        return new RegistryEndpoint(baseUri, policy.VerifyTls);
                    case HttpStatusCode.Unauthorized:
                        pipeline.Authentication.Learn(baseUri.Authority,
                            AuthChallenge.Select(response.Headers.TryGetValues("WWW-Authenticate", out var values) ? values : []));
                        return new RegistryEndpoint(baseUri, policy.VerifyTls);
                    case HttpStatusCode.NotFound:
                        throw RegistryErrors.NotV2Registry(context.Registry, context.Reference);
                    default:
                        throw await ResponseErrors.FromResponseAsync(response, context, options, time, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        if (!policy.AllowsHttp && await AnswersOverPlainHttpAsync(context, cancellationToken).ConfigureAwait(false))
        {
            throw RegistryErrors.HttpOnly(context.RepositoryName ?? context.Registry, context.Reference ?? context.Registry);
        }
        throw TransportErrors.Map(failure!, context, options);
    }

    // Only asked after HTTPS failed, to tell "needs the insecure flag" from "down" or "bad certificate".
    private async Task<bool> AnswersOverPlainHttpAsync(RegistryRequestContext context, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"http://{context.RegistryHost}/v2/"));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.ConnectTimeout);
        try
        {
            using var response = await pipeline.ProbeAsync(request, timeout.Token).ConfigureAwait(false);
            return response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Unauthorized
                || response.Headers.Contains("Docker-Distribution-API-Version");
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
