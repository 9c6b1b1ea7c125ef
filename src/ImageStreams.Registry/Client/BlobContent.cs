using System.Security.Cryptography;
using ImageStreams.Registry.Errors;
using ImageStreams.Registry.Http;
using ImageStreams.Registry.Manifests;

namespace ImageStreams.Registry.Client;

/// <summary>A blob being streamed from a registry: its descriptor as announced and a read-once stream of its bytes.</summary>
public sealed class BlobContent : IAsyncDisposable, IDisposable
{
    private readonly HttpResponseMessage response;

    internal BlobContent(Descriptor descriptor, Stream content, HttpResponseMessage response)
    {
        Descriptor = descriptor;
        Content = content;
        this.response = response;
    }

    /// <summary>The digest asked for, the media type the registry sent, and its Content-Length (-1 when it sent none).</summary>
    public Descriptor Descriptor { get; }

    /// <summary>The bytes, verified as they are read (see <see cref="IBlobOperations.OpenAsync"/>).</summary>
    public Stream Content { get; }

    public void Dispose()
    {
        Content.Dispose();
        response.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        await Content.DisposeAsync().ConfigureAwait(false);
        response.Dispose();
    }
}

/// <summary>
/// A response body that hashes what passes through and checks digest and length when it ends, so a corrupt or cut
/// blob is an error of the read that reaches the end rather than bytes the caller keeps. Each read has the request timeout.
/// </summary>
internal sealed class VerifyingStream(Stream inner, Descriptor expected, RegistryConnection connection, RegistryRequestContext context) : Stream
{
    private readonly IncrementalHash hash = IncrementalHash.CreateHash(Algorithm(expected.Digest.Algorithm));
    private long length;
    private bool verified;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => length;
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }
        using var timeout = new CancellationTokenSource(connection.Options.RequestTimeout, connection.Time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        int read;
        try
        {
            read = await inner.ReadAsync(buffer, linked.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (!(ex is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            throw TransportErrors.Map(ex, context, connection.Options);
        }
        return Account(buffer.Span[..read]);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }
        int read;
        try
        {
            read = inner.Read(buffer);
        }
        catch (Exception ex)
        {
            throw TransportErrors.Map(ex, context, connection.Options);
        }
        return Account(buffer[..read]);
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
            hash.Dispose();
        }
        base.Dispose(disposing);
    }

    private int Account(ReadOnlySpan<byte> read)
    {
        if (read.Length > 0)
        {
            hash.AppendData(read);
            length += read.Length;
            if (expected.Size >= 0 && length > expected.Size)
            {
                throw RegistryErrors.ContentIntegrity(context.Reference!, $"blob {expected.Digest} is longer than the announced {expected.Size} bytes");
            }
            return read.Length;
        }
        if (!verified)
        {
            verified = true;
            if (expected.Size >= 0 && length != expected.Size)
            {
                throw RegistryErrors.ContentIntegrity(context.Reference!, $"blob {expected.Digest} ended after {length} of {expected.Size} bytes");
            }
            var actual = $"{expected.Digest.Algorithm}:{Convert.ToHexStringLower(hash.GetHashAndReset())}";
            if (actual != expected.Digest.ToString())
            {
                throw RegistryErrors.ContentIntegrity(context.Reference!, $"blob {expected.Digest} has digest {actual}");
            }
        }
        return 0;
    }

    private static HashAlgorithmName Algorithm(string algorithm) => algorithm switch
    {
        References.Digest.Sha256 => HashAlgorithmName.SHA256,
        References.Digest.Sha384 => HashAlgorithmName.SHA384,
        References.Digest.Sha512 => HashAlgorithmName.SHA512,
        _ => throw new ArgumentException($"unsupported digest algorithm \"{algorithm}\"", nameof(algorithm)),
    };
}
