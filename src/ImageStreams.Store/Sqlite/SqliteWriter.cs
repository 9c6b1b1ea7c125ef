using Microsoft.Data.Sqlite;
using ImageStreams.Store.Watching;

namespace ImageStreams.Store.Sqlite;

/// <summary>The one connection that writes, with its statements compiled once. Used by one write at a time.</summary>
internal sealed class SqliteWriter : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _find;
    private readonly SqliteCommand _findNamespace;
    private readonly SqliteCommand _insert;
    private readonly SqliteCommand _update;
    private readonly SqliteCommand _delete;
    private readonly SqliteCommand _logEvent;
    private readonly SqliteCommand _trimEvents;
    private readonly SqliteCommand _setResourceVersion;
    private readonly SqliteCommand[] _commands;

    private SqliteWriter(SqliteConnection connection)
    {
        _connection = connection;
        _find = SqliteDatabase.Prepare(connection,
            "SELECT resource_version, json FROM objects WHERE resource = $resource AND namespace = $namespace AND name = $name",
            "$resource", "$namespace", "$name");
        _findNamespace = SqliteDatabase.Prepare(connection,
            "SELECT resource, name, json FROM objects WHERE namespace = $namespace ORDER BY resource, name",
            "$namespace");
        _insert = SqliteDatabase.Prepare(connection,
            "INSERT INTO objects (resource, namespace, name, resource_version, json) VALUES ($resource, $namespace, $name, $rv, $json)",
            "$resource", "$namespace", "$name", "$rv", "$json");
        _update = SqliteDatabase.Prepare(connection,
            "UPDATE objects SET resource_version = $rv, json = $json WHERE resource = $resource AND namespace = $namespace AND name = $name",
            "$resource", "$namespace", "$name", "$rv", "$json");
        _delete = SqliteDatabase.Prepare(connection,
            "DELETE FROM objects WHERE resource = $resource AND namespace = $namespace AND name = $name",
            "$resource", "$namespace", "$name");
        _logEvent = SqliteDatabase.Prepare(connection,
            "INSERT INTO events (resource, namespace, name, resource_version, json, type) VALUES ($resource, $namespace, $name, $rv, $json, $type)",
            "$resource", "$namespace", "$name", "$rv", "$json", "$type");
        _trimEvents = SqliteDatabase.Prepare(connection, "DELETE FROM events WHERE resource_version <= $through", "$through");
        _setResourceVersion = SqliteDatabase.Prepare(connection, "UPDATE state SET resource_version = $rv", "$rv");
        _commands = [_find, _findNamespace, _insert, _update, _delete, _logEvent, _trimEvents, _setResourceVersion];
    }

    /// <summary>Opens the writer, creating and migrating the file, and returns the resource version stored in it.</summary>
    public static (SqliteWriter Writer, long ResourceVersion) Open(string connectionString, string path, SqliteStoreOptions options)
    {
        var connection = SqliteDatabase.Open(connectionString, options, SqliteDatabase.SynchronousPragma(options.Synchronous));
        try
        {
            SqliteDatabase.Initialize(connection, path);
            using var read = connection.CreateCommand();
            read.CommandText = "SELECT resource_version FROM state";
            var resourceVersion = (long)read.ExecuteScalar()!;
            return (new SqliteWriter(connection), resourceVersion);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Starts a transaction whose writes take the resource versions after <paramref name="resourceVersion"/>.</summary>
    public SqliteWrite Begin(long resourceVersion)
    {
        var transaction = _connection.BeginTransaction(deferred: false);
        foreach (var command in _commands)
        {
            command.Transaction = transaction;
        }
        return new SqliteWrite(this, transaction, resourceVersion);
    }

    public void Dispose()
    {
        foreach (var command in _commands)
        {
            command.Dispose();
        }
        _connection.Dispose();
    }

    internal (long ResourceVersion, string Json)? Find(ObjectKey key)
    {
        SqliteDatabase.BindKey(_find, key);
        using var reader = _find.ExecuteReader();
        return reader.Read() ? (reader.GetInt64(0), reader.GetString(1)) : null;
    }

    internal List<(ObjectKey Key, string Json)> FindNamespace(string ns)
    {
        _findNamespace.Parameters[0].Value = ns;
        using var reader = _findNamespace.ExecuteReader();
        var rows = new List<(ObjectKey, string)>();
        while (reader.Read())
        {
            rows.Add((new ObjectKey(reader.GetString(0), ns, reader.GetString(1)), reader.GetString(2)));
        }
        return rows;
    }

    internal void Write(StoreEventType type, ObjectKey key, long resourceVersion, string json)
    {
        var command = type switch
        {
            StoreEventType.Added => _insert,
            StoreEventType.Modified => _update,
            StoreEventType.Deleted => _delete,
            _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
        };
        SqliteDatabase.BindKey(command, key);
        if (type != StoreEventType.Deleted)
        {
            command.Parameters[3].Value = resourceVersion;
            command.Parameters[4].Value = json;
        }
        command.ExecuteNonQuery();

        SqliteDatabase.BindKey(_logEvent, key);
        _logEvent.Parameters[3].Value = resourceVersion;
        _logEvent.Parameters[4].Value = json;
        _logEvent.Parameters[5].Value = type.ToString();
        _logEvent.ExecuteNonQuery();
    }

    internal void Finish(long resourceVersion, int watchHistory)
    {
        _trimEvents.Parameters[0].Value = resourceVersion - watchHistory;
        _trimEvents.ExecuteNonQuery();
        _setResourceVersion.Parameters[0].Value = resourceVersion;
        _setResourceVersion.ExecuteNonQuery();
    }
}

/// <summary>One write transaction: each change takes the next resource version and is logged as an event in the same transaction.</summary>
internal sealed class SqliteWrite(SqliteWriter writer, SqliteTransaction transaction, long resourceVersion) : IDisposable
{
    private readonly List<LoggedEvent> _events = [];

    /// <summary>The resource version of the latest change in this transaction.</summary>
    public long ResourceVersion { get; private set; } = resourceVersion;

    public IReadOnlyList<LoggedEvent> Events => _events;

    public (long ResourceVersion, string Json)? Find(ObjectKey key) => writer.Find(key);

    public List<(ObjectKey Key, string Json)> FindNamespace(string ns) => writer.FindNamespace(ns);

    /// <summary>Stores <paramref name="obj"/> (or deletes it) at the next resource version, which is also set in its metadata.</summary>
    public StoredObject Apply(StoreEventType type, ObjectKey key, System.Text.Json.Nodes.JsonObject obj)
    {
        var next = ResourceVersion + 1;
        var json = ObjectJson.WithResourceVersion(obj, next);
        writer.Write(type, key, next, json);
        ResourceVersion = next;
        _events.Add(new LoggedEvent(next, type, key, json));
        return new StoredObject(key, next, obj);
    }

    public void Commit(int watchHistory)
    {
        if (_events.Count > 0)
        {
            writer.Finish(ResourceVersion, watchHistory);
        }
        transaction.Commit();
    }

    public void Dispose() => transaction.Dispose();
}
