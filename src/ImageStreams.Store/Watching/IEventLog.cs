namespace ImageStreams.Store.Watching;

/// <summary>The durable event log of a backend, from which watches replay and catch up.</summary>
internal interface IEventLog
{
    /// <summary>
    /// Up to <paramref name="limit"/> matching events after <paramref name="afterResourceVersion"/>, oldest first, all read from one
    /// snapshot; null once the store is closed.
    /// </summary>
    ValueTask<EventLogPage?> ReadAsync(long afterResourceVersion, WatchFilter filter, int limit, CancellationToken cancellationToken);

    ValueTask<long> CurrentResourceVersionAsync(CancellationToken cancellationToken);
}

/// <param name="Events">The matching events of the page.</param>
/// <param name="ResourceVersion">The store's resource version in the snapshot the page was read from.</param>
/// <param name="Compacted">The newest resource version whose event is no longer kept; 0 when none was dropped.</param>
internal sealed record EventLogPage(IReadOnlyList<LoggedEvent> Events, long ResourceVersion, long Compacted);
