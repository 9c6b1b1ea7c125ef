using System.Net;
using ImageStreams.Registry.Client;
using ImageStreams.Registry.Errors;

namespace ImageStreams.Registry.Http;

/// <summary>
/// Sends again after 5xx answers, network errors and timeouts, with capped exponential backoff (and
/// jitter, so many importers do not retry in step). Each attempt has its own timeout. 429 is not retried
/// here: it is reported, and <see cref="RateLimitHandler"/> holds back later requests. A request's context may ask for
/// fewer (or more) retries than the client's setting.
/// </summary>
internal sealed class RetryHandler(RegistryClientOptions options, TimeProvider time) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var maxRetries = RegistryRequestContext.Of(request)?.MaxRetries ?? options.MaxRetries;
        for (var attempt = 0; ; attempt++)
        {
            var last = attempt >= maxRetries;
            using var attemptRequest = attempt == 0 ? null : request.Copy();
            using var timeout = new CancellationTokenSource(options.RequestTimeout, time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            TimeSpan delay;
            try
            {
                var response = await base.SendAsync(attemptRequest ?? request, linked.Token).ConfigureAwait(false);
                if (last || !IsRetryable(response.StatusCode))
                {
                    return response;
                }
                delay = ResponseErrors.RetryAfter(response.Headers, time) is { } asked && asked <= options.MaxBackoff
                    ? asked
                    : Backoff(attempt);
                response.Dispose();
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                if (last)
                {
                    throw new TimeoutException($"no answer within {options.RequestTimeout}", ex);
                }
                delay = Backoff(attempt);
            }
            catch (HttpRequestException ex) when (!last && IsRetryable(ex))
            {
                delay = Backoff(attempt);
            }
            catch (RegistryException ex) when (!last && ex.Transient && ex.Reason != RegistryErrorReason.TooManyRequests)
            {
                delay = Backoff(attempt);
            }
            await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
        }
    }

    private static bool IsRetryable(HttpStatusCode status) =>
        status is HttpStatusCode.InternalServerError or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable
            or HttpStatusCode.GatewayTimeout or HttpStatusCode.RequestTimeout;

    // TLS failures, protocol garbage and configuration errors come back the same way every time.
    private static bool IsRetryable(HttpRequestException exception) =>
        exception.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError
            or HttpRequestError.ResponseEnded or HttpRequestError.Unknown
        && TransportErrors.Refused(exception) is null;

    private TimeSpan Backoff(int attempt)
    {
        var exponential = options.InitialBackoff * Math.Pow(2, attempt);
        var capped = exponential < options.MaxBackoff ? exponential : options.MaxBackoff;
        var jitter = 1 + options.BackoffJitter * ((Random.Shared.NextDouble() * 2) - 1);
        return capped * jitter;
    }
}
