using System.Diagnostics.Metrics;
using System.Globalization;

namespace ImageStreams.Registry.Http;

/// <summary>
/// Counts every request that reaches a registry (each retry, ping and token request too), by host, method and status
/// code, so "one request per unchanged check" can be watched in production and not only in tests.
/// </summary>
internal sealed class RequestMetricsHandler : DelegatingHandler
{
    private readonly Counter<long> requests;

    public RequestMetricsHandler(Meter meter)
    {
        requests = meter.CreateCounter<long>("imagestreams.registry.requests", "{request}",
            "HTTP requests sent to registries, by registry host, method and status code (\"error\": no answer)");
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        string code = "error";
        try
        {
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            code = ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
            return response;
        }
        finally
        {
            requests.Add(1,
                new KeyValuePair<string, object?>("registry", request.RequestUri!.Authority),
                new KeyValuePair<string, object?>("method", request.Method.Method),
                new KeyValuePair<string, object?>("code", code));
        }
    }
}
