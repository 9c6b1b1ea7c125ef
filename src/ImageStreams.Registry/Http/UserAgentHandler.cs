namespace ImageStreams.Registry.Http;

/// <summary>Names this client to registries (they log it, and some rate-limit by it).</summary>
internal sealed class UserAgentHandler(string userAgent) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Headers.UserAgent.Count == 0)
        {
            request.Headers.TryAddWithoutValidation("User-Agent", userAgent);
        }
        return base.SendAsync(request, cancellationToken);
    }
}
