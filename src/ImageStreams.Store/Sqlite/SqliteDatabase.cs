using Microsoft.Data.Sqlite;

namespace ImageStreams.Store.Sqlite;

/// <summary>The file format of the store and the plumbing its connections share.</summary>
internal static class SqliteDatabase
{
    /// <summary>Kept in <c>PRAGMA user_version</c>; a file from a newer release is refused rather than misread.</summary>
    private const long SchemaVersion = 1;

    // objects: the current state. events: the watch log, one row per resource version (kept contiguous, so the oldest row
    // tells what was trimmed). state: the resource version counter, which survives even when the newest write was a deletion;
    // it starts at 1 because a watch from 0 means "from now", so no list may be at version 0.
    private static readonly string CreateSchema = $$"""
        CREATE TABLE objects (
            resource TEXT NOT NULL,
            namespace TEXT NOT NULL,
            name TEXT NOT NULL,
            resource_version INTEGER NOT NULL,
            json TEXT NOT NULL,
            PRIMARY KEY (resource, namespace, name)
        );
        CREATE INDEX objects_by_namespace ON objects (namespace);
        CREATE TABLE events (
            resource_version INTEGER PRIMARY KEY,
            type TEXT NOT NULL,
            resource TEXT NOT NULL,
            namespace TEXT NOT NULL,
            name TEXT NOT NULL,
            json TEXT NOT NULL
        );
        CREATE TABLE state (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            resource_version INTEGER NOT NULL
        );
        INSERT INTO state (id, resource_version) VALUES (1, 1);
        PRAGMA user_version = {{SchemaVersion}};
        """;

    public static string ConnectionString(string path) => new SqliteConnectionStringBuilder
    {
        DataSource = path,
        Mode = SqliteOpenMode.ReadWriteCreate,
        Cache = SqliteCacheMode.Private,
        // The store pools its own connections with their prepared statements; closing must really close the file.
        Pooling = false,
    }.ToString();

    public static SqliteConnection Open(string connectionString, SqliteStoreOptions options, params string[] pragmas)
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            connection.Open();
            Execute(connection, $"PRAGMA busy_timeout = {(int)options.BusyTimeout.TotalMilliseconds}");
            foreach (var pragma in pragmas)
            {
                Execute(connection, pragma);
            }
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Switches the file to WAL and creates the tables of a new file.</summary>
    public static void Initialize(SqliteConnection connection, string path)
    {
        // WAL lets readers work while the writer commits; it is a property of the file, so setting it once suffices.
        var mode = Scalar<string>(connection, "PRAGMA journal_mode = WAL");
        if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"opening {path}: the file system does not support SQLite's WAL mode (got {mode})");
        }

        var version = Scalar<long>(connection, "PRAGMA user_version");
        if (version > SchemaVersion)
        {
            throw new InvalidOperationException($"opening {path}: the store has schema version {version}, newer than {SchemaVersion} that this release reads");
        }
        if (version == SchemaVersion)
        {
            return;
        }
        using var transaction = connection.BeginTransaction(deferred: false);
        Execute(connection, CreateSchema, transaction);
        transaction.Commit();
    }

    public static string SynchronousPragma(SqliteSynchronousMode mode) =>
        mode switch
        {
            SqliteSynchronousMode.Normal => "PRAGMA synchronous = NORMAL",
            SqliteSynchronousMode.Full => "PRAGMA synchronous = FULL",
            _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, null),
        };

    /// <summary>A command compiled once and reused with new parameter values, named in the order they are bound.</summary>
    public static SqliteCommand Prepare(SqliteConnection connection, string sql, params string[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = parameter });
        }
        command.Prepare();
        return command;
    }

    /// <summary>Binds an object key to the first three parameters ($resource, $namespace, $name).</summary>
    public static void BindKey(SqliteCommand command, ObjectKey key)
    {
        command.Parameters[0].Value = key.Resource;
        command.Parameters[1].Value = key.Namespace;
        command.Parameters[2].Value = key.Name;
    }

    private static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        command.ExecuteNonQuery();
    }

    private static T Scalar<T>(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (T)Convert.ChangeType(command.ExecuteScalar()!, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }
}
