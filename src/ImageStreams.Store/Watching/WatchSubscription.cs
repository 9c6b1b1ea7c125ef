using System.Diagnostics.CodeAnalysis;
using System.Threading.Channels;

namespace ImageStreams.Store.Watching;

/// <summary>
/// One watch's buffer of live events. Once an event is dropped because the buffer is full, every later one is dropped too until the
/// reader takes the "behind" mark and re-reads the log, so the buffer never holds a gap.
/// </summary>
internal sealed class WatchSubscription : IDisposable
{
    private readonly WatchHub _hub;
    private readonly WatchFilter _filter;
    private readonly Channel<LoggedEvent> _channel;
    private int _behind;

    public WatchSubscription(WatchHub hub, WatchFilter filter, int bufferSize)
    {
        _hub = hub;
        _filter = filter;
        _channel = Channel.CreateBounded<LoggedEvent>(new BoundedChannelOptions(bufferSize)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        });
    }

    public bool TryRead([MaybeNullWhen(false)] out LoggedEvent logged) => _channel.Reader.TryRead(out logged);

    /// <summary>False once the store has closed and the buffer is drained.</summary>
    public ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken) => _channel.Reader.WaitToReadAsync(cancellationToken);

    /// <summary>Asks the reader to read the log before trusting the buffer again.</summary>
    public void MarkBehind() => Volatile.Write(ref _behind, 1);

    /// <summary>True when events were dropped since the last call; from now on new events are buffered again.</summary>
    public bool TakeBehind() => Interlocked.Exchange(ref _behind, 0) == 1;

    internal void Offer(LoggedEvent logged)
    {
        if (!_filter.Matches(logged.Key) || Volatile.Read(ref _behind) == 1)
        {
            return;
        }
        if (!_channel.Writer.TryWrite(logged))
        {
            MarkBehind();
        }
    }

    internal void Complete() => _channel.Writer.TryComplete();

    public void Dispose()
    {
        _hub.Remove(this);
        Complete();
    }
}
