namespace ImageStreams.Store.Sqlite;

/// <summary>Settings of the embedded SQLite store, checked by <see cref="Validate"/> when the store opens.</summary>
public sealed record SqliteStoreOptions
{
    /// <summary>How many of the newest events are kept so that watches can resume; a watch from an older version fails with Gone. Default 10,000.</summary>
    public int WatchHistory { get; init; } = 10_000;

    /// <summary>
    /// Live events buffered per watch, and events read from the log at a time when a watch replays or catches up. A watch whose
    /// buffer fills catches up from the log; it fails with Gone only when it falls out of <see cref="WatchHistory"/>. Default 1,000.
    /// </summary>
    public int WatchBufferSize { get; init; } = 1_000;

    /// <summary>Idle read connections kept open for reuse; more are opened under load and closed when idle. Default 4.</summary>
    public int ReadConnectionPoolSize { get; init; } = 4;

    /// <summary>When a commit is synced to disk. Default <see cref="SqliteSynchronousMode.Full"/>.</summary>
    public SqliteSynchronousMode Synchronous { get; init; } = SqliteSynchronousMode.Full;

    /// <summary>How long a statement waits for a lock held by another connection (a checkpoint, another process) before failing. Default 5 s.</summary>
    public TimeSpan BusyTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(WatchHistory, 1, nameof(WatchHistory));
        ArgumentOutOfRangeException.ThrowIfLessThan(WatchBufferSize, 1, nameof(WatchBufferSize));
        ArgumentOutOfRangeException.ThrowIfNegative(ReadConnectionPoolSize, nameof(ReadConnectionPoolSize));
        if (!Enum.IsDefined(Synchronous))
        {
            throw new ArgumentOutOfRangeException(nameof(Synchronous), Synchronous, "must be Normal or Full");
        }
        if (BusyTimeout < TimeSpan.Zero || BusyTimeout.TotalMilliseconds > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(BusyTimeout), BusyTimeout, $"must be between 0 and {int.MaxValue} ms");
        }
    }
}

/// <summary>SQLite's <c>PRAGMA synchronous</c> in WAL mode: both keep every commit across a process crash.</summary>
public enum SqliteSynchronousMode
{
    /// <summary>Syncs at checkpoints only: faster, but the newest commits may be lost if the machine loses power.</summary>
    Normal,

    /// <summary>Syncs the log at every commit: a commit also survives power loss.</summary>
    Full,
}
