using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using ImageStreams.Registry.References;

namespace ImageStreams.Builder.Layers;

/// <summary>One file, directory or link of a layer, with the ownership and mode it gets in the image.</summary>
internal sealed record LayerEntry
{
    /// <summary>The path in the image without the leading '/'.</summary>
    public required string Path { get; init; }

    public required TarEntryType Type { get; init; }

    public UnixFileMode Mode { get; init; }

    public int Uid { get; init; }

    public int Gid { get; init; }

    /// <summary>For a regular file: where its bytes are read from.</summary>
    public string? SourceFile { get; init; }

    /// <summary>For a regular file: its bytes, when they are not in a file (an entry of an extracted archive).</summary>
    public byte[]? Content { get; init; }

    /// <summary>For a symbolic link: its target.</summary>
    public string? LinkTarget { get; init; }
}

/// <summary>A written layer: the gzip file, its digest and size, and the digest of the uncompressed tar (the diff ID).</summary>
internal sealed record LayerFile(string Path, Digest Digest, Digest DiffId, long Size);

/// <summary>
/// Writes layers reproducibly: entries sorted by path, every timestamp the same fixed time, owner 0:0 unless
/// given, no user or group names, GNU tar headers, gzip with zlib's fixed header (mtime 0). The same entries give the
/// same bytes in any process on any day, so the same input gives the same digest. The digests are computed while writing.
/// </summary>
internal static class LayerWriter
{
    public static LayerFile Write(IEnumerable<LayerEntry> entries, string destination, DateTimeOffset timestamp, CompressionLevel level)
    {
        using var diffHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var blobHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long size;
        using (var file = new FileStream(destination, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
        {
            using (var compressed = new HashingStream(file, blobHash))
            using (var gzip = new GZipStream(compressed, level, leaveOpen: true))
            using (var tarStream = new HashingStream(gzip, diffHash))
            using (var tar = new TarWriter(tarStream, TarEntryFormat.Gnu, leaveOpen: true))
            {
                foreach (var entry in entries.OrderBy(e => e.Path, StringComparer.Ordinal))
                {
                    WriteEntry(tar, entry, timestamp);
                }
            }
            size = file.Length;
        }
        return new LayerFile(
            destination,
            Digest.Parse("sha256:" + Convert.ToHexStringLower(blobHash.GetHashAndReset())),
            Digest.Parse("sha256:" + Convert.ToHexStringLower(diffHash.GetHashAndReset())),
            size);
    }

    private static void WriteEntry(TarWriter tar, LayerEntry entry, DateTimeOffset timestamp)
    {
        var name = entry.Type == TarEntryType.Directory ? entry.Path.TrimEnd('/') + "/" : entry.Path;
        // GNU headers: long names go in a fixed "././@LongLink" entry, where PAX headers would carry the process id.
        var tarEntry = new GnuTarEntry(entry.Type, name)
        {
            ModificationTime = timestamp,
            AccessTime = timestamp,
            ChangeTime = timestamp,
            Mode = entry.Mode,
            Uid = entry.Uid,
            Gid = entry.Gid,
            UserName = "",
            GroupName = "",
        };
        if (entry.Type == TarEntryType.SymbolicLink)
        {
            tarEntry.LinkName = entry.LinkTarget!;
            tar.WriteEntry(tarEntry);
            return;
        }
        if (entry.Type != TarEntryType.RegularFile)
        {
            tar.WriteEntry(tarEntry);
            return;
        }
        using var data = entry.Content is { } content
            ? new MemoryStream(content, writable: false)
            : (Stream)new FileStream(entry.SourceFile!, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        tarEntry.DataStream = data;
        tar.WriteEntry(tarEntry);
    }

    /// <summary>Passes writes through to an inner stream and hashes them.</summary>
    private sealed class HashingStream(Stream inner, IncrementalHash hash) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            hash.AppendData(buffer);
            inner.Write(buffer);
        }

        public override void Flush() => inner.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
