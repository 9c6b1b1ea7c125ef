using System.Runtime.CompilerServices;

namespace ImageStreams.Store.Watching;

/// <summary>
/// A watch over an event log and a live subscription. It subscribes before it reads the log, so every change is in the log read,
/// in the live buffer, or in both; events at or below the last resource version delivered are skipped, so none is lost or repeated.
/// </summary>
internal static class EventLogWatch
{
    public static async IAsyncEnumerable<StoreEvent> RunAsync(
        IEventLog log,
        WatchHub hub,
        WatchFilter filter,
        long sinceResourceVersion,
        int pageSize,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var subscription = hub.Subscribe(filter);
        long last;
        if (sinceResourceVersion == 0)
        {
            last = await log.CurrentResourceVersionAsync(cancellationToken);
        }
        else
        {
            last = sinceResourceVersion;
            subscription.MarkBehind();
        }

        while (true)
        {
            while (subscription.TryRead(out var live))
            {
                if (live.ResourceVersion > last)
                {
                    last = live.ResourceVersion;
                    yield return live.ToStoreEvent();
                }
            }

            if (subscription.TakeBehind())
            {
                while (true)
                {
                    var page = await log.ReadAsync(last, filter, pageSize, cancellationToken);
                    if (page is null)
                    {
                        yield break;
                    }
                    if (last < page.Compacted)
                    {
                        throw new StoreException(
                            StoreErrorReason.Gone,
                            new ObjectKey(filter.Resource ?? "", filter.Namespace ?? "", ""),
                            $"too old resource version: {last} ({page.Compacted + 1})");
                    }
                    foreach (var logged in page.Events)
                    {
                        last = logged.ResourceVersion;
                        yield return logged.ToStoreEvent();
                    }
                    if (page.Events.Count < pageSize)
                    {
                        last = Math.Max(last, page.ResourceVersion);
                        break;
                    }
                }
                continue;
            }

            if (!await subscription.WaitToReadAsync(cancellationToken))
            {
                yield break;
            }
        }
    }
}
