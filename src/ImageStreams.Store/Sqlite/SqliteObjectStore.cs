using System.Text.Json.Nodes;
using ImageStreams.Store.Watching;

namespace ImageStreams.Store.Sqlite;

/// <summary>
/// The embedded store: one SQLite file in WAL mode. Writes are serialized on one connection, each in one transaction that also
/// logs its events; reads use pooled connections and see committed snapshots.
/// </summary>
public sealed class SqliteObjectStore : IObjectStore, IEventLog
{
    /// <summary>The file name the server uses inside its data directory.</summary>
    public const string DefaultFileName = "store.db";

    private readonly FileStream _processLock;
    private readonly SqliteStoreOptions _options;
    private readonly SqliteWriter _writer;
    private readonly SqliteReaderPool _readers;
    private readonly WatchHub _hub;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private long _resourceVersion;
    private int _disposed;

    private SqliteObjectStore(
        string path, FileStream processLock, SqliteStoreOptions options, SqliteWriter writer, SqliteReaderPool readers, long resourceVersion)
    {
        Path = path;
        _processLock = processLock;
        _options = options;
        _writer = writer;
        _readers = readers;
        _resourceVersion = resourceVersion;
        _hub = new WatchHub(options.WatchBufferSize);
    }

    /// <summary>The full path of the database file.</summary>
    public string Path { get; }

    /// <summary>
    /// Opens the store in the file at <paramref name="path"/>, creating the file and its directory when missing. Fails with
    /// <see cref="InvalidOperationException"/> when another store (in any process) has the file open.
    /// </summary>
    public static Task<SqliteObjectStore> OpenAsync(string path, SqliteStoreOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        cancellationToken.ThrowIfCancellationRequested();

        var fullPath = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(fullPath)!);
        SQLitePCL.Batteries_V2.Init();
        var processLock = LockFile(fullPath);
        try
        {
            var connectionString = SqliteDatabase.ConnectionString(fullPath);
            var (writer, resourceVersion) = SqliteWriter.Open(connectionString, fullPath, options);
            var readers = new SqliteReaderPool(connectionString, options);
            return Task.FromResult(new SqliteObjectStore(fullPath, processLock, options, writer, readers, resourceVersion));
        }
        catch
        {
            processLock.Dispose();
            throw;
        }
    }

    public ValueTask<StoredObject?> GetAsync(ObjectKey key, CancellationToken cancellationToken = default)
    {
        StoreArguments.ValidateKey(key);
        cancellationToken.ThrowIfCancellationRequested();
        using var lease = _readers.Rent();
        return ValueTask.FromResult(lease.Reader.Get(key));
    }

    public ValueTask<StoredList> ListAsync(string resource, string? ns, CancellationToken cancellationToken = default)
    {
        StoreArguments.ValidateResource(resource);
        cancellationToken.ThrowIfCancellationRequested();
        using var lease = _readers.Rent();
        return ValueTask.FromResult(lease.Reader.List(resource, ns));
    }

    /// <inheritdoc/>
    /// <remarks>The cursor holds a read connection and its snapshot until it is disposed.</remarks>
    public ValueTask<IStoredListCursor> OpenListAsync(string resource, string? ns, CancellationToken cancellationToken = default)
    {
        StoreArguments.ValidateResource(resource);
        cancellationToken.ThrowIfCancellationRequested();
        var lease = _readers.Rent();
        try
        {
            return ValueTask.FromResult<IStoredListCursor>(new ListCursor(lease, lease.Reader.OpenList(resource, ns)));
        }
        catch
        {
            lease.Dispose();
            throw;
        }
    }

    public ValueTask<StoredObject> CreateAsync(ObjectKey key, JsonObject obj, CancellationToken cancellationToken = default)
    {
        StoreArguments.ValidateKey(key);
        ArgumentNullException.ThrowIfNull(obj);
        var copy = obj.DeepClone().AsObject();
        return WriteAsync(write =>
        {
            if (write.Find(key) is not null)
            {
                throw new StoreException(StoreErrorReason.AlreadyExists, key, $"{key} already exists");
            }
            return write.Apply(StoreEventType.Added, key, copy);
        }, cancellationToken);
    }

    public ValueTask<StoredObject> UpdateAsync(ObjectKey key, JsonObject obj, long? expectedResourceVersion, CancellationToken cancellationToken = default)
    {
        StoreArguments.ValidateKey(key);
        ArgumentNullException.ThrowIfNull(obj);
        var copy = obj.DeepClone().AsObject();
        return WriteAsync(write =>
        {
            FindExpected(write, key, expectedResourceVersion);
            return write.Apply(StoreEventType.Modified, key, copy);
        }, cancellationToken);
    }

    public ValueTask<StoredObject> DeleteAsync(ObjectKey key, long? expectedResourceVersion, CancellationToken cancellationToken = default)
    {
        StoreArguments.ValidateKey(key);
        return WriteAsync(write =>
        {
            var json = FindExpected(write, key, expectedResourceVersion);
            return write.Apply(StoreEventType.Deleted, key, ObjectJson.Parse(json));
        }, cancellationToken);
    }

    public ValueTask<int> DeleteNamespaceContentsAsync(string ns, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ns);
        return WriteAsync(write =>
        {
            var rows = write.FindNamespace(ns);
            foreach (var (key, json) in rows)
            {
                write.Apply(StoreEventType.Deleted, key, ObjectJson.Parse(json));
            }
            return rows.Count;
        }, cancellationToken);
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Buffers up to <see cref="SqliteStoreOptions.WatchBufferSize"/> events; a watch that falls further behind catches up from the
    /// event log, and fails with <see cref="StoreErrorReason.Gone"/> only once it falls out of <see cref="SqliteStoreOptions.WatchHistory"/>.
    /// The watch ends normally when the store is disposed.
    /// </remarks>
    public IAsyncEnumerable<StoreEvent> WatchAsync(string? resource, string? ns, long sinceResourceVersion, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sinceResourceVersion);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);
        return EventLogWatch.RunAsync(this, _hub, new WatchFilter(resource, ns), sinceResourceVersion, _options.WatchBufferSize, cancellationToken);
    }

    public ValueTask<long> CurrentResourceVersionAsync(CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Interlocked.Read(ref _resourceVersion));

    ValueTask<EventLogPage?> IEventLog.ReadAsync(long afterResourceVersion, WatchFilter filter, int limit, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!_readers.TryRent(out var lease))
        {
            return ValueTask.FromResult<EventLogPage?>(null);
        }
        using (lease)
        {
            return ValueTask.FromResult<EventLogPage?>(lease.Reader.ReadEvents(afterResourceVersion, filter, limit));
        }
    }

    /// <summary>Waits for a write in progress, closes every connection and ends every watch.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        await _writeLock.WaitAsync();
        try
        {
            _hub.CompleteAll();
            _readers.Dispose();
            _writer.Dispose();
            _processLock.Dispose();
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private sealed class ListCursor(SqliteReaderPool.Lease lease, SqliteReader.ListRows rows) : IStoredListCursor
    {
        private bool _disposed;

        public long ResourceVersion => rows.ResourceVersion;

        public ValueTask<StoredObject?> NextAsync(CancellationToken cancellationToken = default)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            cancellationToken.ThrowIfCancellationRequested();
            return ValueTask.FromResult(rows.Next());
        }

        public ValueTask DisposeAsync()
        {
            if (!_disposed)
            {
                _disposed = true;
                rows.Dispose();
                lease.Dispose();
            }
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>
    /// Holds an exclusive lock beside the database: the resource version counter lives in this process, so a second writer would
    /// hand out the same versions. The lock goes with the process, even when it is killed.
    /// </summary>
    private static FileStream LockFile(string path)
    {
        try
        {
            return new FileStream(path + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new InvalidOperationException($"opening {path}: the store is in use by another process or store instance", e);
        }
    }

    /// <summary>The stored JSON of an object that must exist at the expected version (when one is given).</summary>
    private static string FindExpected(SqliteWrite write, ObjectKey key, long? expectedResourceVersion)
    {
        var (current, json) = write.Find(key) ?? throw new StoreException(StoreErrorReason.NotFound, key, $"{key} not found");
        if (expectedResourceVersion is { } expected && expected != current)
        {
            throw new StoreException(StoreErrorReason.Conflict, key,
                $"{key} has been modified: resource version {current}, expected {expected}");
        }
        return json;
    }

    private async ValueTask<T> WriteAsync<T>(Func<SqliteWrite, T> change, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);
            T result;
            IReadOnlyList<LoggedEvent> events;
            long resourceVersion;
            using (var write = _writer.Begin(_resourceVersion))
            {
                result = change(write);
                write.Commit(_options.WatchHistory);
                events = write.Events;
                resourceVersion = write.ResourceVersion;
            }
            // The counter moves before watchers hear of the change, so a watch "from now" that reads it never skips a published event.
            Interlocked.Exchange(ref _resourceVersion, resourceVersion);
            _hub.Publish(events);
            return result;
        }
        finally
        {
            _writeLock.Release();
        }
    }
}
