using ImageStreams.Distribution.Errors;
using ImageStreams.Registry.References;

namespace ImageStreams.Distribution.Storage;

/// <summary>
/// Content by digest, one file per blob, shared by every repository (manifests are blobs too). A blob appears only by
/// the rename of a complete file whose digest was checked and which was flushed to disk, so a reader never sees part of
/// one; two writers of the same blob both rename identical bytes, and a reader of the replaced file keeps reading it.
/// </summary>
internal sealed class BlobStore(StorageLayout layout)
{
    /// <summary>The size of a stored blob; null when there is none.</summary>
    public long? Size(Digest digest)
    {
        var file = new FileInfo(layout.Blob(digest));
        return file.Exists ? file.Length : null;
    }

    /// <summary>The blob's bytes to read from any position; null when there is none.</summary>
    public FileStream? OpenRead(Digest digest)
    {
        try
        {
            return new FileStream(layout.Blob(digest), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, bufferSize: 0, FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>A small blob (a manifest, a config) in memory; null when there is none or it is larger than <paramref name="limit"/>.</summary>
    public async Task<byte[]?> ReadAsync(Digest digest, long limit, CancellationToken cancellationToken)
    {
        await using var stream = OpenRead(digest);
        if (stream is null || stream.Length > limit)
        {
            return null;
        }
        var content = new byte[stream.Length];
        await stream.ReadExactlyAsync(content, cancellationToken).ConfigureAwait(false);
        return content;
    }

    /// <summary>A new file for content that is not yet verified; it becomes a blob through <see cref="PublishAsync"/>.</summary>
    public HashingFile CreateTemp() => HashingFile.Create(layout.NewTempFile());

    /// <summary>
    /// Checks that <paramref name="file"/> has <paramref name="digest"/> and moves it into place; the file is gone
    /// afterwards either way. A mismatch is DIGEST_INVALID and stores nothing.
    /// </summary>
    public async Task PublishAsync(HashingFile file, Digest digest, CancellationToken cancellationToken)
    {
        try
        {
            var actual = await file.FinishAsync(digest.Algorithm, cancellationToken).ConfigureAwait(false);
            if (actual != digest)
            {
                throw DistributionErrors.DigestInvalid($"the content has digest {actual}", digest.ToString(), actual.ToString());
            }
            file.Dispose();
            var target = layout.Blob(digest);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            if (!File.Exists(target))
            {
                File.Move(file.Path, target, overwrite: true);
            }
        }
        finally
        {
            file.Dispose();
            File.Delete(file.Path);
        }
    }

    /// <summary>Stores bytes whose digest the caller has computed (a manifest it parsed).</summary>
    public async Task PutAsync(ReadOnlyMemory<byte> content, Digest digest, CancellationToken cancellationToken)
    {
        if (Size(digest) == content.Length)
        {
            return;
        }
        var file = CreateTemp();
        try
        {
            await file.AppendAsync(content, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            file.Dispose();
            File.Delete(file.Path);
            throw;
        }
        await PublishAsync(file, digest, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Removes what interrupted writes left behind (run at start-up, before anything writes).</summary>
    public void DeleteTemporaryFiles()
    {
        if (Directory.Exists(layout.Temp))
        {
            Directory.Delete(layout.Temp, recursive: true);
        }
        Directory.CreateDirectory(layout.Temp);
    }
}
