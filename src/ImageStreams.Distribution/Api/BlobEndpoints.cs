using System.Buffers;
using System.Globalization;
using ImageStreams.Distribution.Errors;
using ImageStreams.Distribution.PullThrough;
using ImageStreams.Distribution.Repositories;
using ImageStreams.Distribution.Storage;
using ImageStreams.Registry.Errors;
using ImageStreams.Registry.References;
using Microsoft.AspNetCore.Http;

namespace ImageStreams.Distribution.Api;

/// <summary>
/// <c>/v2/&lt;name&gt;/blobs/&lt;digest&gt;</c>: HEAD, GET (with a single byte range) and DELETE (distribution spec "Pulling
/// blobs", "Deleting blobs"). A blob the repository does not hold is served when the stream's images name it: from the
/// repository of this registry the image was pushed to, or for an image from another registry, from the shared store
/// or else from that registry, streamed to the client while it is kept, so the next pull needs no upstream.
/// </summary>
internal sealed class BlobEndpoints(BlobStore blobs, RepositoryLinks links, StreamHistory streams, UpstreamContent upstream)
{
    private const int CopyBufferSize = 256 * 1024;

    public Task HandleAsync(HttpContext context, RepositoryName repository, string argument)
    {
        var digest = RegistryHttp.ParseDigest(argument);
        return HttpMethods.IsDelete(context.Request.Method) ? DeleteAsync(context, repository, digest) : GetAsync(context, repository, digest);
    }

    private async Task GetAsync(HttpContext context, RepositoryName repository, Digest digest)
    {
        var cancellationToken = context.RequestAborted;
        if (links.HasBlob(repository, digest) && blobs.OpenRead(digest) is { } local)
        {
            await ServeAsync(context, local, digest).ConfigureAwait(false);
            return;
        }
        var stream = await streams.FindStreamAsync(repository, cancellationToken).ConfigureAwait(false)
                     ?? throw DistributionErrors.BlobUnknown(digest.ToString());
        var source = await streams.FindBlobAsync(stream, digest, cancellationToken).ConfigureAwait(false)
                     ?? throw DistributionErrors.BlobUnknown(digest.ToString());
        // Held by the repository the image was pushed to, or (for an image from elsewhere) already in the shared store.
        var held = source.Repository is { } pushedTo ? pushedTo != repository && links.HasBlob(pushedTo, digest) : source.Upstream is not null;
        if (held && blobs.OpenRead(digest) is { } shared)
        {
            links.LinkBlob(repository, digest);
            await ServeAsync(context, shared, digest).ConfigureAwait(false);
            return;
        }
        if (source.Upstream is null)
        {
            throw DistributionErrors.BlobUnknown(digest.ToString());
        }
        if (HttpMethods.IsHead(context.Request.Method))
        {
            var descriptor = await upstream.HeadBlobAsync(repository, source, digest, cancellationToken).ConfigureAwait(false);
            SetHeaders(context, digest);
            context.Response.StatusCode = StatusCodes.Status200OK;
            if (descriptor.Size >= 0)
            {
                context.Response.ContentLength = descriptor.Size;
            }
            return;
        }
        if (context.Request.Headers.Range.Count > 0)
        {
            // A part of a blob not held yet: fetch all of it first, then serve the part like any stored blob.
            await PullAsync(context, repository, source, digest, toClient: false).ConfigureAwait(false);
            await ServeAsync(context, blobs.OpenRead(digest) ?? throw DistributionErrors.BlobUnknown(digest.ToString()), digest).ConfigureAwait(false);
            return;
        }
        await PullAsync(context, repository, source, digest, toClient: true).ConfigureAwait(false);
    }

    private Task DeleteAsync(HttpContext context, RepositoryName repository, Digest digest)
    {
        // Only the repository's link goes; the content stays for other repositories until pruning.
        if (!links.UnlinkBlob(repository, digest))
        {
            throw DistributionErrors.BlobUnknown(digest.ToString());
        }
        RegistryHttp.Empty(context, StatusCodes.Status202Accepted);
        return Task.CompletedTask;
    }

    /// <summary>Copies the upstream blob into the store, and to the client as it arrives when <paramref name="toClient"/>.</summary>
    private async Task PullAsync(HttpContext context, RepositoryName repository, ContentSource source, Digest digest, bool toClient)
    {
        var cancellationToken = context.RequestAborted;
        await using var content = await upstream.OpenBlobAsync(repository, source, digest, cancellationToken).ConfigureAwait(false);
        var file = blobs.CreateTemp();
        var handedOver = false;
        var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferSize);
        try
        {
            if (toClient)
            {
                SetHeaders(context, digest);
                context.Response.StatusCode = StatusCodes.Status200OK;
                if (content.Descriptor.Size >= 0)
                {
                    context.Response.ContentLength = content.Descriptor.Size;
                }
            }
            int read;
            while ((read = await ReadUpstreamAsync(content.Content, buffer, digest, cancellationToken).ConfigureAwait(false)) > 0)
            {
                await file.AppendAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                if (toClient)
                {
                    await context.Response.Body.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                }
            }
            handedOver = true;
            await blobs.PublishAsync(file, digest, cancellationToken).ConfigureAwait(false);
            links.LinkBlob(repository, digest);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            if (!handedOver)
            {
                file.Dispose();
                File.Delete(file.Path);
            }
        }
    }

    private static async Task<int> ReadUpstreamAsync(Stream content, byte[] buffer, Digest digest, CancellationToken cancellationToken)
    {
        try
        {
            return await content.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        }
        catch (RegistryException e)
        {
            throw UpstreamContent.Map(e, () => DistributionErrors.BlobUnknown(digest.ToString()));
        }
    }

    private static async Task ServeAsync(HttpContext context, FileStream file, Digest digest)
    {
        await using (file)
        {
            var size = file.Length;
            SetHeaders(context, digest);
            context.Response.Headers.AcceptRanges = "bytes";
            var (start, length) = (0L, size);
            context.Response.StatusCode = StatusCodes.Status200OK;
            if (ByteRange.TryParse(context.Request.Headers.Range.ToString(), size, out var range, out var unsatisfiable))
            {
                (start, length) = range;
                context.Response.StatusCode = StatusCodes.Status206PartialContent;
                context.Response.Headers.ContentRange = string.Create(CultureInfo.InvariantCulture, $"bytes {start}-{start + length - 1}/{size}");
            }
            else if (unsatisfiable)
            {
                throw DistributionErrors.BlobRangeInvalid(context.Request.Headers.Range.ToString(), size);
            }
            context.Response.ContentLength = length;
            if (HttpMethods.IsHead(context.Request.Method) || length == 0)
            {
                return;
            }
            file.Position = start;
            // Read straight into the response's own buffers: one copy less than going through a buffer of ours.
            var writer = context.Response.BodyWriter;
            var left = length;
            while (left > 0)
            {
                var memory = writer.GetMemory((int)Math.Min(CopyBufferSize, left));
                var read = await file.ReadAsync(memory[..(int)Math.Min(memory.Length, left)], context.RequestAborted).ConfigureAwait(false);
                if (read == 0)
                {
                    throw new IOException($"blob {digest} ended early");
                }
                writer.Advance(read);
                await writer.FlushAsync(context.RequestAborted).ConfigureAwait(false);
                left -= read;
            }
        }
    }

    private static void SetHeaders(HttpContext context, Digest digest)
    {
        context.Response.ContentType = "application/octet-stream";
        context.Response.Headers[RegistryHttp.DigestHeader] = digest.ToString();
        context.Response.Headers.ETag = $"\"{digest}\"";
    }
}

/// <summary>The one byte range of a <c>Range: bytes=...</c> header that the registry serves.</summary>
internal static class ByteRange
{
    /// <summary>
    /// Reads <c>bytes=a-b</c>, <c>bytes=a-</c> or <c>bytes=-n</c> against a blob of <paramref name="size"/> bytes.
    /// False with <paramref name="unsatisfiable"/> false means "serve it all" (no header, several ranges, another unit).
    /// </summary>
    public static bool TryParse(string header, long size, out (long Start, long Length) range, out bool unsatisfiable)
    {
        range = default;
        unsatisfiable = false;
        if (!header.StartsWith("bytes=", StringComparison.OrdinalIgnoreCase) || header.Contains(',', StringComparison.Ordinal))
        {
            return false;
        }
        var spec = header["bytes=".Length..].Trim();
        var dash = spec.IndexOf('-', StringComparison.Ordinal);
        if (dash < 0)
        {
            unsatisfiable = true;
            return false;
        }
        var (first, last) = (spec[..dash], spec[(dash + 1)..]);
        if (first.Length == 0)
        {
            if (!long.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var suffix) || suffix == 0 || size == 0)
            {
                unsatisfiable = true;
                return false;
            }
            var length = Math.Min(suffix, size);
            range = (size - length, length);
            return true;
        }
        if (!long.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out var start) || start >= size)
        {
            unsatisfiable = true;
            return false;
        }
        var end = size - 1;
        if (last.Length > 0 && (!long.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out end) || end < start))
        {
            unsatisfiable = true;
            return false;
        }
        range = (start, Math.Min(end, size - 1) - start + 1);
        return true;
    }
}
