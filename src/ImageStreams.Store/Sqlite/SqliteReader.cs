using Microsoft.Data.Sqlite;
using ImageStreams.Store.Watching;

namespace ImageStreams.Store.Sqlite;

/// <summary>A read-only connection with its statements compiled once; used by one caller at a time through <see cref="SqliteReaderPool"/>.</summary>
internal sealed class SqliteReader : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _get;
    private readonly SqliteCommand _list;
    private readonly SqliteCommand _listNamespace;
    private readonly SqliteCommand _state;
    private readonly SqliteCommand _events;

    public SqliteReader(string connectionString, SqliteStoreOptions options)
    {
        _connection = SqliteDatabase.Open(connectionString, options, "PRAGMA query_only = 1");
        _get = SqliteDatabase.Prepare(_connection,
            "SELECT resource_version, json FROM objects WHERE resource = $resource AND namespace = $namespace AND name = $name",
            "$resource", "$namespace", "$name");
        _list = SqliteDatabase.Prepare(_connection,
            "SELECT namespace, name, resource_version, json FROM objects WHERE resource = $resource ORDER BY namespace, name",
            "$resource");
        _listNamespace = SqliteDatabase.Prepare(_connection,
            "SELECT namespace, name, resource_version, json FROM objects WHERE resource = $resource AND namespace = $namespace ORDER BY name",
            "$resource", "$namespace");
        _state = SqliteDatabase.Prepare(_connection,
            "SELECT resource_version, (SELECT min(resource_version) FROM events) FROM state");
        _events = SqliteDatabase.Prepare(_connection,
            """
            SELECT resource_version, type, resource, namespace, name, json FROM events
            WHERE resource_version > $after AND ($resource IS NULL OR resource = $resource) AND ($namespace IS NULL OR namespace = $namespace)
            ORDER BY resource_version LIMIT $limit
            """,
            "$after", "$resource", "$namespace", "$limit");
    }

    public StoredObject? Get(ObjectKey key)
    {
        SqliteDatabase.BindKey(_get, key);
        using var reader = _get.ExecuteReader();
        return reader.Read() ? new StoredObject(key, reader.GetInt64(0), reader.GetFieldValue<byte[]>(1)) : null;
    }

    public StoredList List(string resource, string? ns)
    {
        using var rows = OpenList(resource, ns);
        var items = new List<StoredObject>();
        while (rows.Next() is { } item)
        {
            items.Add(item);
        }
        return new StoredList(rows.ResourceVersion, items);
    }

    /// <summary>Starts reading a list: one snapshot for the version and the items, so a watch from that version then misses nothing.</summary>
    public ListRows OpenList(string resource, string? ns)
    {
        var command = ns is null ? _list : _listNamespace;
        command.Parameters[0].Value = resource;
        if (ns is not null)
        {
            command.Parameters[1].Value = ns;
        }
        var transaction = _connection.BeginTransaction(deferred: true);
        try
        {
            var (resourceVersion, _) = ReadState(transaction);
            command.Transaction = transaction;
            return new ListRows(resource, resourceVersion, transaction, command.ExecuteReader());
        }
        catch
        {
            transaction.Dispose();
            throw;
        }
    }

    /// <summary>The rows of a list, read as they are asked for; disposing ends the snapshot.</summary>
    internal sealed class ListRows(string resource, long resourceVersion, SqliteTransaction transaction, SqliteDataReader reader) : IDisposable
    {
        private string _namespace = "";

        public long ResourceVersion { get; } = resourceVersion;

        public StoredObject? Next()
        {
            if (!reader.Read())
            {
                return null;
            }
            // Rows come in namespace order: consecutive objects share one namespace string.
            var ns = reader.GetString(0);
            if (ns == _namespace)
            {
                ns = _namespace;
            }
            _namespace = ns;
            var key = new ObjectKey(resource, ns, reader.GetString(1));
            return new StoredObject(key, reader.GetInt64(2), reader.GetFieldValue<byte[]>(3));
        }

        public void Dispose()
        {
            reader.Dispose();
            transaction.Dispose();
        }
    }

    public EventLogPage ReadEvents(long afterResourceVersion, WatchFilter filter, int limit)
    {
        _events.Parameters[0].Value = afterResourceVersion;
        _events.Parameters[1].Value = (object?)filter.Resource ?? DBNull.Value;
        _events.Parameters[2].Value = (object?)filter.Namespace ?? DBNull.Value;
        _events.Parameters[3].Value = limit;

        using var transaction = _connection.BeginTransaction(deferred: true);
        var (resourceVersion, oldest) = ReadState(transaction);
        _events.Transaction = transaction;
        var events = new List<LoggedEvent>();
        using (var reader = _events.ExecuteReader())
        {
            while (reader.Read())
            {
                var key = new ObjectKey(reader.GetString(2), reader.GetString(3), reader.GetString(4));
                events.Add(new LoggedEvent(reader.GetInt64(0), Enum.Parse<StoreEventType>(reader.GetString(1)), key, reader.GetString(5)));
            }
        }
        transaction.Commit();
        // Every write logs exactly one event, so everything below the oldest kept event was trimmed.
        return new EventLogPage(events, resourceVersion, oldest is { } first ? first - 1 : resourceVersion);
    }

    private (long ResourceVersion, long? OldestEvent) ReadState(SqliteTransaction transaction)
    {
        _state.Transaction = transaction;
        using var reader = _state.ExecuteReader();
        reader.Read();
        return (reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetInt64(1));
    }

    public void Dispose()
    {
        _get.Dispose();
        _list.Dispose();
        _listNamespace.Dispose();
        _state.Dispose();
        _events.Dispose();
        _connection.Dispose();
    }
}
