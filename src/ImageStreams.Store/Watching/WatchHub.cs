namespace ImageStreams.Store.Watching;

/// <summary>
/// Fans committed changes out to the open watches. Publishing never waits: a watch whose buffer is full is marked as behind and
/// catches up from the event log, so a slow watcher never holds up writers.
/// </summary>
internal sealed class WatchHub(int bufferSize)
{
    private readonly Lock _gate = new();
    private volatile WatchSubscription[] _subscriptions = [];
    private bool _completed;

    public WatchSubscription Subscribe(WatchFilter filter)
    {
        var subscription = new WatchSubscription(this, filter, bufferSize);
        lock (_gate)
        {
            if (_completed)
            {
                subscription.Complete();
            }
            else
            {
                _subscriptions = [.. _subscriptions, subscription];
            }
        }
        return subscription;
    }

    /// <summary>Called by the single writer after each commit, so every watch receives events in resource version order.</summary>
    public void Publish(IReadOnlyList<LoggedEvent> events)
    {
        foreach (var subscription in _subscriptions)
        {
            foreach (var logged in events)
            {
                subscription.Offer(logged);
            }
        }
    }

    /// <summary>Ends every watch (they finish normally once they have read what was delivered) and every later one.</summary>
    public void CompleteAll()
    {
        lock (_gate)
        {
            _completed = true;
            foreach (var subscription in _subscriptions)
            {
                subscription.Complete();
            }
            _subscriptions = [];
        }
    }

    internal void Remove(WatchSubscription subscription)
    {
        lock (_gate)
        {
            _subscriptions = [.. _subscriptions.Where(s => s != subscription)];
        }
    }
}
