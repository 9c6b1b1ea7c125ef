using System.Globalization;
using ImageStreams.Distribution.Errors;
using ImageStreams.Distribution.Repositories;
using ImageStreams.Distribution.Storage;
using ImageStreams.Registry.References;
using ImageStreams.Resources;
using Microsoft.AspNetCore.Http;

namespace ImageStreams.Distribution.Api;

/// <summary>
/// <c>/v2/&lt;name&gt;/blobs/uploads/[&lt;id&gt;]</c> (distribution spec "Pushing blobs"): POST starts an upload, mounts a blob
/// from another repository (<c>mount</c> and <c>from</c>), or uploads a whole blob in one request (<c>digest</c>);
/// PATCH appends a chunk (in order: <c>Content-Range</c> must start where the upload stands, else 416); PUT with
/// <c>digest</c> completes it; GET tells where it stands; DELETE cancels it.
/// </summary>
internal sealed class UploadEndpoints(UploadSessions sessions, BlobStore blobs, RepositoryLinks links, ResourceSet resources)
{
    public async Task HandleAsync(HttpContext context, RepositoryName repository, string id, Func<RepositoryName, Task> authorizePull)
    {
        var method = context.Request.Method;
        if (id.Length == 0)
        {
            await StartAsync(context, repository, authorizePull).ConfigureAwait(false);
            return;
        }
        var session = sessions.Find(repository, id);
        var cancellationToken = context.RequestAborted;
        var location = RegistryHttp.UploadLocation(repository, session.Id);
        if (HttpMethods.IsGet(method))
        {
            Progress(context, session, StatusCodes.Status204NoContent);
        }
        else if (HttpMethods.IsPatch(method))
        {
            var start = ChunkStart(context.Request);
            await sessions.AppendAsync(session, context.Request.Body, start, location, cancellationToken).ConfigureAwait(false);
            Progress(context, session, StatusCodes.Status202Accepted);
        }
        else if (HttpMethods.IsPut(method))
        {
            var digest = RequiredDigest(context.Request);
            var start = ChunkStart(context.Request);
            await sessions.AppendAsync(session, context.Request.Body, start, location, cancellationToken).ConfigureAwait(false);
            await sessions.CompleteAsync(session, digest, cancellationToken).ConfigureAwait(false);
            Created(context, repository, digest);
        }
        else
        {
            await sessions.CancelAsync(session, cancellationToken).ConfigureAwait(false);
            RegistryHttp.Empty(context, StatusCodes.Status204NoContent);
        }
    }

    private async Task StartAsync(HttpContext context, RepositoryName repository, Func<RepositoryName, Task> authorizePull)
    {
        var cancellationToken = context.RequestAborted;
        var query = context.Request.Query;
        if (await resources.Namespaces.FindAsync(null, repository.Namespace, cancellationToken).ConfigureAwait(false) is null)
        {
            throw DistributionErrors.NameUnknown(repository.ToString(), $"namespace \"{repository.Namespace}\" does not exist");
        }
        if (query.ContainsKey("mount"))
        {
            var mounted = RegistryHttp.ParseDigest(query["mount"]);
            if (await TryMountAsync(repository, mounted, query["from"].ToString(), authorizePull).ConfigureAwait(false))
            {
                Created(context, repository, mounted);
                return;
            }
        }
        var digest = query.ContainsKey("digest") && !query.ContainsKey("mount") ? RequiredDigest(context.Request) : null;
        var session = sessions.Start(repository);
        if (digest is null)
        {
            Progress(context, session, StatusCodes.Status202Accepted);
            return;
        }
        try
        {
            await sessions.AppendAsync(session, context.Request.Body, null, RegistryHttp.UploadLocation(repository, session.Id), cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // A one-request upload that failed cannot be resumed: its id was never given out.
            await sessions.CancelAsync(session, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
        await sessions.CompleteAsync(session, digest, cancellationToken).ConfigureAwait(false);
        Created(context, repository, digest);
    }

    /// <summary>
    /// Links a blob of another repository, when the caller may pull from it and it holds the blob. Anything else (no or a
    /// bad <c>from</c>, no access, no blob) falls back to a normal upload, as the spec asks, and reveals nothing.
    /// </summary>
    private async Task<bool> TryMountAsync(RepositoryName repository, Digest digest, string from, Func<RepositoryName, Task> authorizePull)
    {
        if (!RepositoryName.TryParse(from, out var source, out _) || !links.HasBlob(source, digest) || blobs.Size(digest) is null)
        {
            return false;
        }
        try
        {
            await authorizePull(source).ConfigureAwait(false);
        }
        catch (DistributionException)
        {
            return false;
        }
        links.LinkBlob(repository, digest);
        return true;
    }

    private static void Created(HttpContext context, RepositoryName repository, Digest digest)
    {
        context.Response.Headers.Location = RegistryHttp.BlobLocation(repository, digest);
        context.Response.Headers[RegistryHttp.DigestHeader] = digest.ToString();
        RegistryHttp.Empty(context, StatusCodes.Status201Created);
    }

    private static void Progress(HttpContext context, UploadSession session, int status)
    {
        context.Response.Headers.Location = RegistryHttp.UploadLocation(session.Repository, session.Id);
        context.Response.Headers.Range = $"0-{RegistryHttp.Number(Math.Max(session.Offset - 1, 0))}";
        context.Response.Headers["Docker-Upload-UUID"] = session.Id;
        RegistryHttp.Empty(context, status);
    }

    private static Digest RequiredDigest(HttpRequest request) =>
        request.Query.TryGetValue("digest", out var value) && value.Count == 1
            ? RegistryHttp.ParseDigest(value.ToString())
            : throw DistributionErrors.DigestInvalid("the digest query parameter is required to complete an upload");

    /// <summary>
    /// Where a chunk says it starts: <c>Content-Range: &lt;start&gt;-&lt;end&gt;</c> (the spec's form; <c>bytes a-b/n</c> is read
    /// too). A range whose length disagrees with Content-Length is SIZE_INVALID before any byte is read.
    /// </summary>
    private static long? ChunkStart(HttpRequest request)
    {
        var header = request.Headers.ContentRange.ToString();
        if (header.Length == 0)
        {
            return null;
        }
        var range = header.StartsWith("bytes ", StringComparison.OrdinalIgnoreCase) ? header[6..] : header;
        var slash = range.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            range = range[..slash];
        }
        var dash = range.IndexOf('-', StringComparison.Ordinal);
        if (dash <= 0 ||
            !long.TryParse(range[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out var start) ||
            !long.TryParse(range[(dash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var end) ||
            end < start)
        {
            throw DistributionErrors.BlobUploadInvalid($"Content-Range \"{header}\" is not <start>-<end>");
        }
        if (request.ContentLength is { } length && length != end - start + 1)
        {
            throw DistributionErrors.SizeInvalid($"Content-Range \"{header}\" is {end - start + 1} bytes, Content-Length is {length}");
        }
        return start;
    }
}
