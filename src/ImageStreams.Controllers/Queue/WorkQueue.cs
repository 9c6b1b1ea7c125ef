namespace ImageStreams.Controllers.Queue;

/// <summary>
/// A work queue in the shape of client-go's: a key is queued at most once; a key being worked on that is added
/// again is queued once more when its worker calls <see cref="Done"/>, so two workers never hold the same key.
/// Failures are re-added with per-key exponential backoff until <see cref="Forget"/>.
/// </summary>
public sealed class WorkQueue<TKey> : IDisposable
    where TKey : notnull
{
    private readonly object gate = new();
    private readonly Queue<TKey> queue = new();
    private readonly HashSet<TKey> dirty = [];
    private readonly HashSet<TKey> processing = [];
    private readonly Dictionary<TKey, int> failures = [];
    private readonly Dictionary<TKey, ITimer> delayed = [];
    private readonly SemaphoreSlim available = new(0);
    private readonly TimeProvider time;
    private readonly TimeSpan baseDelay;
    private readonly TimeSpan maxDelay;
    private bool shutDown;

    public WorkQueue(TimeProvider time, TimeSpan baseDelay, TimeSpan maxDelay)
    {
        this.time = time;
        this.baseDelay = baseDelay;
        this.maxDelay = maxDelay;
    }

    /// <summary>Keys waiting to be worked on (not those waiting out a delay).</summary>
    public int Count
    {
        get
        {
            lock (gate)
            {
                return queue.Count;
            }
        }
    }

    public void Add(TKey key)
    {
        lock (gate)
        {
            if (shutDown || !dirty.Add(key))
            {
                return;
            }
            if (processing.Contains(key))
            {
                return;
            }
            queue.Enqueue(key);
        }
        available.Release();
    }

    /// <summary>Adds the key once <paramref name="delay"/> has passed; an earlier pending delay for it wins.</summary>
    public void AddAfter(TKey key, TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            Add(key);
            return;
        }
        lock (gate)
        {
            if (shutDown || delayed.ContainsKey(key))
            {
                return;
            }
            delayed[key] = time.CreateTimer(_ =>
            {
                lock (gate)
                {
                    if (delayed.Remove(key, out var timer))
                    {
                        timer.Dispose();
                    }
                }
                Add(key);
            }, null, delay, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Adds the key after its backoff, which doubles with every failure since the last <see cref="Forget"/>.</summary>
    public TimeSpan AddRateLimited(TKey key)
    {
        TimeSpan delay;
        lock (gate)
        {
            var count = failures.GetValueOrDefault(key);
            failures[key] = count + 1;
            var factor = Math.Pow(2, Math.Min(count, 30));
            delay = TimeSpan.FromTicks((long)Math.Min(maxDelay.Ticks, baseDelay.Ticks * factor));
        }
        AddAfter(key, delay);
        return delay;
    }

    /// <summary>Clears the key's failure count (it succeeded).</summary>
    public void Forget(TKey key)
    {
        lock (gate)
        {
            failures.Remove(key);
        }
    }

    /// <summary>How often the key failed since it was last forgotten.</summary>
    public int Failures(TKey key)
    {
        lock (gate)
        {
            return failures.GetValueOrDefault(key);
        }
    }

    /// <summary>The next key to work on; the caller must call <see cref="Done"/> with it.</summary>
    public async Task<TKey> GetAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            await available.WaitAsync(cancellationToken).ConfigureAwait(false);
            lock (gate)
            {
                if (queue.TryDequeue(out var key))
                {
                    dirty.Remove(key);
                    processing.Add(key);
                    return key;
                }
            }
        }
    }

    public void Done(TKey key)
    {
        var requeue = false;
        lock (gate)
        {
            processing.Remove(key);
            if (dirty.Contains(key) && !shutDown)
            {
                queue.Enqueue(key);
                requeue = true;
            }
        }
        if (requeue)
        {
            available.Release();
        }
    }

    public void Dispose()
    {
        lock (gate)
        {
            shutDown = true;
            foreach (var timer in delayed.Values)
            {
                timer.Dispose();
            }
            delayed.Clear();
        }
        available.Dispose();
    }
}
