using System.Collections.Concurrent;

namespace ImageStreams.Store.Sqlite;

/// <summary>Read connections kept open between reads, so their prepared statements are reused.</summary>
internal sealed class SqliteReaderPool(string connectionString, SqliteStoreOptions options) : IDisposable
{
    private readonly ConcurrentBag<SqliteReader> _idle = [];
    private volatile bool _disposed;

    /// <summary>A reader for one caller, or false once the store is closed.</summary>
    public bool TryRent(out Lease lease)
    {
        if (_disposed)
        {
            lease = default;
            return false;
        }
        lease = new Lease(this, _idle.TryTake(out var reader) ? reader : new SqliteReader(connectionString, options));
        return true;
    }

    public Lease Rent() => TryRent(out var lease) ? lease : throw new ObjectDisposedException(nameof(SqliteObjectStore));

    public void Dispose()
    {
        _disposed = true;
        DisposeIdle();
    }

    private void Return(SqliteReader reader)
    {
        if (_disposed || _idle.Count >= options.ReadConnectionPoolSize)
        {
            reader.Dispose();
            return;
        }
        _idle.Add(reader);
        // Dispose may have emptied the pool while this reader was on its way back.
        if (_disposed)
        {
            DisposeIdle();
        }
    }

    private void DisposeIdle()
    {
        while (_idle.TryTake(out var reader))
        {
            reader.Dispose();
        }
    }

    public readonly struct Lease(SqliteReaderPool pool, SqliteReader reader) : IDisposable
    {
        public SqliteReader Reader { get; } = reader;

        public void Dispose() => pool.Return(Reader);
    }
}
