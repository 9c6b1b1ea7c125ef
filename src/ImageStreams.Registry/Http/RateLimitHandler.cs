using System.Collections.Concurrent;
using System.Net;
using ImageStreams.Registry.Client;
using ImageStreams.Registry.Errors;

namespace ImageStreams.Registry.Http;

/// <summary>
/// Honours 429 per registry: after a registry answers Too Many Requests, every request to it waits until the
/// Retry-After time has passed; a wait longer than <see cref="RegistryClientOptions.MaxRateLimitWait"/> fails at
/// once with TooManyRequests (and the time left), so callers can reschedule instead of holding a worker.
/// </summary>
internal sealed class RateLimitHandler(RegistryClientOptions options, TimeProvider time) : DelegatingHandler
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> blockedUntil = new(StringComparer.OrdinalIgnoreCase);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var authority = request.RequestUri!.Authority;
        if (blockedUntil.TryGetValue(authority, out var until))
        {
            var wait = until - time.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                if (wait > options.MaxRateLimitWait)
                {
                    var context = RegistryRequestContext.Of(request);
                    throw RegistryErrors.TooManyRequests(context?.Registry ?? authority, context?.Reference, wait);
                }
                await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
            }
        }
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            var next = time.GetUtcNow() + (ResponseErrors.RetryAfter(response.Headers, time) ?? options.DefaultRetryAfter);
            blockedUntil.AddOrUpdate(authority, next, (_, current) => current > next ? current : next);
        }
        return response;
    }
}
