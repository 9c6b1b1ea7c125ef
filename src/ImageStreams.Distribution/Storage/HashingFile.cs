using System.Buffers;
using System.Security.Cryptography;
using ImageStreams.Registry.References;
using Microsoft.Win32.SafeHandles;

namespace ImageStreams.Distribution.Storage;

/// <summary>
/// A file written at its end while its sha256 is computed, so a finished blob is verified without reading it again.
/// The length only counts bytes that were written and hashed; bytes of a write that failed half way are cut off
/// before the digest is taken. A file reopened after a restart has no running hash and is hashed from disk instead.
/// </summary>
internal sealed class HashingFile : IDisposable
{
    /// <summary>Bytes read from a source per write: large enough that a blob costs few system calls.</summary>
    public const int BufferSize = 1024 * 1024;

    private readonly SafeFileHandle handle;
    private readonly IncrementalHash? sha256;

    private HashingFile(string path, SafeFileHandle handle, long length, IncrementalHash? sha256)
    {
        Path = path;
        this.handle = handle;
        Length = length;
        this.sha256 = sha256;
    }

    public string Path { get; }

    public long Length { get; private set; }

    /// <summary>A new, empty file (its directory is created).</summary>
    public static HashingFile Create(string path)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        var handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete);
        return new HashingFile(path, handle, 0, IncrementalHash.CreateHash(HashAlgorithmName.SHA256));
    }

    /// <summary>An existing file, continued at its end.</summary>
    public static HashingFile Open(string path)
    {
        var handle = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete);
        return new HashingFile(path, handle, RandomAccess.GetLength(handle), null);
    }

    public async ValueTask AppendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        await RandomAccess.WriteAsync(handle, data, Length, cancellationToken).ConfigureAwait(false);
        sha256?.AppendData(data.Span);
        Length += data.Length;
    }

    /// <summary>Appends everything <paramref name="source"/> has; returns the count of bytes appended.</summary>
    public async Task<long> AppendAsync(Stream source, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            long total = 0;
            int read;
            while ((read = await source.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false)) > 0)
            {
                await AppendAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                total += read;
            }
            return total;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Cuts what a failed write left past <see cref="Length"/>, flushes to disk and returns the digest of the content.</summary>
    public async Task<Digest> FinishAsync(string algorithm, CancellationToken cancellationToken)
    {
        RandomAccess.SetLength(handle, Length);
        RandomAccess.FlushToDisk(handle);
        if (algorithm == Digest.Sha256 && sha256 is not null)
        {
            return Digest.Parse($"{Digest.Sha256}:{Convert.ToHexStringLower(sha256.GetCurrentHash())}");
        }
        await using var stream = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, BufferSize);
        var hash = algorithm switch
        {
            Digest.Sha256 => await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false),
            Digest.Sha384 => await SHA384.HashDataAsync(stream, cancellationToken).ConfigureAwait(false),
            Digest.Sha512 => await SHA512.HashDataAsync(stream, cancellationToken).ConfigureAwait(false),
            _ => throw new ArgumentException($"unsupported digest algorithm \"{algorithm}\"", nameof(algorithm)),
        };
        return Digest.Parse($"{algorithm}:{Convert.ToHexStringLower(hash)}");
    }

    public void Dispose()
    {
        handle.Dispose();
        sha256?.Dispose();
    }
}
