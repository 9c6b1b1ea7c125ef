using System.Collections.Concurrent;
using System.Net;

namespace ImageStreams.Registry.Http;

/// <summary>
/// At most <c>limit</c> requests in flight per registry host. A slot is held until the response body is
/// disposed, since reading the body is part of the load on the registry.
/// </summary>
internal sealed class ConcurrencyLimitHandler(int limit) : DelegatingHandler
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> slots = new(StringComparer.OrdinalIgnoreCase);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var slot = slots.GetOrAdd(request.RequestUri!.Authority, _ => new SemaphoreSlim(limit, limit));
        await slot.WaitAsync(cancellationToken).ConfigureAwait(false);
        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            slot.Release();
            throw;
        }
        response.Content = new SlotContent(response.Content, slot);
        return response;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (var slot in slots.Values)
            {
                slot.Dispose();
            }
        }
        base.Dispose(disposing);
    }

    /// <summary>The response body, releasing the slot once when disposed.</summary>
    private sealed class SlotContent : HttpContent
    {
        private readonly HttpContent inner;
        private SemaphoreSlim? slot;

        public SlotContent(HttpContent inner, SemaphoreSlim slot)
        {
            this.inner = inner;
            this.slot = slot;
            foreach (var header in inner.Headers)
            {
                Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
            inner.CopyToAsync(stream, context);

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken) =>
            inner.CopyToAsync(stream, context, cancellationToken);

        protected override Task<Stream> CreateContentReadStreamAsync() => inner.ReadAsStreamAsync();

        protected override Task<Stream> CreateContentReadStreamAsync(CancellationToken cancellationToken) =>
            inner.ReadAsStreamAsync(cancellationToken);

        protected override bool TryComputeLength(out long length)
        {
            length = inner.Headers.ContentLength ?? 0;
            return inner.Headers.ContentLength.HasValue;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
                Interlocked.Exchange(ref slot, null)?.Release();
            }
            base.Dispose(disposing);
        }
    }
}
