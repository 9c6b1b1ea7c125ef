using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using ImageStreams.Distribution.Errors;
using ImageStreams.Distribution.Repositories;
using ImageStreams.Registry.References;

namespace ImageStreams.Distribution.Storage;

/// <summary>One blob upload in progress: <c>uploads/&lt;id&gt;/data</c>, and the repository it was started in.</summary>
internal sealed class UploadSession(string id, RepositoryName repository, HashingFile data, DateTimeOffset lastActivity)
{
    public string Id { get; } = id;

    public RepositoryName Repository { get; } = repository;

    public HashingFile Data { get; } = data;

    /// <summary>Bytes received so far; the next chunk must start here.</summary>
    public long Offset => Data.Length;

    public DateTimeOffset LastActivity { get; set; } = lastActivity;

    /// <summary>Serializes the requests of one upload (a chunk, the final PUT, a cancel, the sweeper).</summary>
    public SemaphoreSlim Gate { get; } = new(1, 1);

    /// <summary>Completed, cancelled or expired: the id no longer names anything.</summary>
    public bool Closed { get; set; }
}

/// <summary>
/// Blob uploads (distribution spec "Pushing blobs"): started, fed in order, completed into the <see cref="BlobStore"/>
/// once their digest checks out, or cancelled. At most <see cref="DistributionOptions.MaxOpenUploads"/> are open at once;
/// one untouched for <see cref="DistributionOptions.UploadExpiry"/> is removed by <see cref="SweepExpired"/>. Uploads
/// survive a restart: their data stays on disk and is picked up again at start-up.
/// </summary>
internal sealed partial class UploadSessions : IDisposable
{
    private const string DataFile = "data";
    private const string RepositoryFile = "repository";

    private readonly StorageLayout layout;
    private readonly BlobStore blobs;
    private readonly RepositoryLinks links;
    private readonly DistributionOptions options;
    private readonly TimeProvider time;
    private readonly ConcurrentDictionary<string, UploadSession> sessions = new(StringComparer.Ordinal);
    private readonly Lock startGate = new();

    public UploadSessions(StorageLayout layout, BlobStore blobs, RepositoryLinks links, DistributionOptions options, TimeProvider time)
    {
        this.layout = layout;
        this.blobs = blobs;
        this.links = links;
        this.options = options;
        this.time = time;
        Restore();
    }

    public int Count => sessions.Count;

    /// <summary>A new upload into <paramref name="repository"/>; TOOMANYREQUESTS when the limit of open uploads is reached.</summary>
    public UploadSession Start(RepositoryName repository)
    {
        lock (startGate)
        {
            if (sessions.Count >= options.MaxOpenUploads)
            {
                throw DistributionErrors.TooManyRequests(
                    $"{options.MaxOpenUploads} uploads are open; finish or cancel one, or wait for abandoned ones to expire", TimeSpan.FromSeconds(5));
            }
            var id = Guid.NewGuid().ToString("N");
            var directory = layout.Upload(id);
            Directory.CreateDirectory(directory);
            File.WriteAllText(Path.Combine(directory, RepositoryFile), repository.ToString());
            var session = new UploadSession(id, repository, HashingFile.Create(Path.Combine(directory, DataFile)), time.GetUtcNow());
            sessions[id] = session;
            return session;
        }
    }

    /// <summary>The open upload <paramref name="id"/> of <paramref name="repository"/>; BLOB_UPLOAD_UNKNOWN otherwise.</summary>
    public UploadSession Find(RepositoryName repository, string id) =>
        IdPattern().IsMatch(id) && sessions.TryGetValue(id, out var session) && session.Repository == repository && !session.Closed
            ? session
            : throw DistributionErrors.BlobUploadUnknown(id);

    /// <summary>
    /// Appends a request body. <paramref name="start"/> (from Content-Range) must be where the upload stands, else 416.
    /// What arrives before a client breaks off is kept, and the upload's Range tells the client where to resume.
    /// </summary>
    public async Task AppendAsync(UploadSession session, Stream body, long? start, string location, CancellationToken cancellationToken)
    {
        await EnterAsync(session, cancellationToken).ConfigureAwait(false);
        try
        {
            if (start is { } first && first != session.Offset)
            {
                throw DistributionErrors.UploadRangeInvalid(first, session.Offset, location);
            }
            await session.Data.AppendAsync(options.MaxBlobBytes > 0 ? new BoundedStream(body, options.MaxBlobBytes - session.Offset, options.MaxBlobBytes) : body,
                cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Leave(session);
        }
    }

    /// <summary>
    /// Finishes an upload: the content must have <paramref name="digest"/> (DIGEST_INVALID otherwise, and the upload is
    /// gone); it then becomes a blob of the store, linked into the upload's repository.
    /// </summary>
    public async Task CompleteAsync(UploadSession session, Digest digest, CancellationToken cancellationToken)
    {
        await EnterAsync(session, cancellationToken).ConfigureAwait(false);
        try
        {
            Close(session);
            // The upload's own file becomes the blob: no copy, and its running hash is the digest check.
            await blobs.PublishAsync(session.Data, digest, cancellationToken).ConfigureAwait(false);
            links.LinkBlob(session.Repository, digest);
        }
        finally
        {
            DeleteDirectory(session);
            session.Gate.Release();
        }
    }

    public async Task CancelAsync(UploadSession session, CancellationToken cancellationToken)
    {
        await EnterAsync(session, cancellationToken).ConfigureAwait(false);
        try
        {
            Close(session);
            session.Data.Dispose();
            DeleteDirectory(session);
        }
        finally
        {
            session.Gate.Release();
        }
    }

    /// <summary>Removes uploads untouched for longer than the expiry; returns how many. An upload busy right now is left alone.</summary>
    public int SweepExpired()
    {
        var cutoff = time.GetUtcNow() - options.UploadExpiry;
        var removed = 0;
        foreach (var session in sessions.Values)
        {
            if (session.LastActivity > cutoff || !session.Gate.Wait(0))
            {
                continue;
            }
            try
            {
                if (!session.Closed && session.LastActivity <= cutoff)
                {
                    Close(session);
                    session.Data.Dispose();
                    DeleteDirectory(session);
                    removed++;
                }
            }
            finally
            {
                session.Gate.Release();
            }
        }
        return removed;
    }

    public void Dispose()
    {
        foreach (var session in sessions.Values)
        {
            session.Data.Dispose();
        }
    }

    private async Task EnterAsync(UploadSession session, CancellationToken cancellationToken)
    {
        await session.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (session.Closed)
        {
            session.Gate.Release();
            throw DistributionErrors.BlobUploadUnknown(session.Id);
        }
    }

    private void Leave(UploadSession session)
    {
        session.LastActivity = time.GetUtcNow();
        session.Gate.Release();
    }

    private void Close(UploadSession session)
    {
        session.Closed = true;
        sessions.TryRemove(session.Id, out _);
    }

    private void DeleteDirectory(UploadSession session)
    {
        var directory = layout.Upload(session.Id);
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>Takes back the uploads a previous run left on disk; what cannot be read is deleted.</summary>
    private void Restore()
    {
        Directory.CreateDirectory(layout.Uploads);
        foreach (var directory in Directory.EnumerateDirectories(layout.Uploads))
        {
            var id = Path.GetFileName(directory);
            var data = Path.Combine(directory, DataFile);
            var repositoryFile = Path.Combine(directory, RepositoryFile);
            if (IdPattern().IsMatch(id) && File.Exists(data) && File.Exists(repositoryFile) &&
                RepositoryName.TryParse(File.ReadAllText(repositoryFile), out var repository, out _))
            {
                sessions[id] = new UploadSession(id, repository, HashingFile.Open(data), new DateTimeOffset(File.GetLastWriteTimeUtc(data), TimeSpan.Zero));
            }
            else
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }

    [GeneratedRegex("^[0-9a-f]{32}$")]
    private static partial Regex IdPattern();
}
