using System.Net;
using System.Net.Http.Headers;

namespace ImageStreams.Registry.Http;

/// <summary>
/// A request body that can be sent more than once (a retry, an auth round trip): each send opens the source again.
/// Disposing it closes nothing the next send needs.
/// </summary>
internal sealed class ReplayableContent : HttpContent
{
    private readonly Func<Stream> open;
    private readonly long length;

    public ReplayableContent(Func<Stream> open, long length, string mediaType = "application/octet-stream")
    {
        this.open = open;
        this.length = length;
        Headers.ContentType = new MediaTypeHeaderValue(mediaType);
    }

    public static ReplayableContent FromBytes(ReadOnlyMemory<byte> bytes, string mediaType = "application/octet-stream") =>
        new(() => new ReadOnlyMemoryStream(bytes), bytes.Length, mediaType);

    /// <summary>A fresh content over the same source with the same headers.</summary>
    public ReplayableContent Clone()
    {
        var clone = new ReplayableContent(open, length);
        clone.Headers.Clear();
        foreach (var header in Headers)
        {
            clone.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }
        return clone;
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        await using var source = open();
        await source.CopyToAsync(stream, cancellationToken).ConfigureAwait(false);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = this.length;
        return true;
    }

    /// <summary>A read-only stream over memory that is not copied.</summary>
    private sealed class ReadOnlyMemoryStream(ReadOnlyMemory<byte> bytes) : Stream
    {
        private int position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => bytes.Length;

        public override long Position
        {
            get => position;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var count = Math.Min(buffer.Length, bytes.Length - position);
            bytes.Span.Slice(position, count).CopyTo(buffer);
            position += count;
            return count;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Read(buffer.Span));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Task.FromResult(Read(buffer.AsSpan(offset, count)));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
