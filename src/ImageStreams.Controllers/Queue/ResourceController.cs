using ImageStreams.Model.Meta;
using ImageStreams.Resources;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ImageStreams.Controllers.Queue;

/// <summary>
/// A controller fed by the events of one resource: a watch turns events into keys, workers sync one key at a time by
/// re-reading the current state. A failed sync is retried with backoff; a watch that expires starts over with a fresh list.
/// </summary>
public abstract class ResourceController<T> : BackgroundService
    where T : class, IResource
{
    private readonly IResourceClient<T> resources;
    private readonly int workers;
    private readonly TaskCompletionSource synced = new(TaskCreationOptions.RunContinuationsAsynchronously);

    protected ResourceController(IResourceClient<T> resources, TimeProvider time, ILogger logger, int workers)
    {
        this.resources = resources;
        this.workers = workers;
        Time = time;
        Logger = logger;
        Queue = new WorkQueue<string>(time, TimeSpan.FromMilliseconds(500), TimeSpan.FromMinutes(5));
    }

    protected TimeProvider Time { get; }

    protected ILogger Logger { get; }

    protected WorkQueue<string> Queue { get; }

    /// <summary>Completes once the first list has been queued (for tests and readiness).</summary>
    public virtual Task Synced => synced.Task;

    /// <summary>The key of an object: <c>namespace/name</c>.</summary>
    public static string KeyOf(IResource obj) => $"{obj.Metadata.Namespace}/{obj.Metadata.Name}";

    public static (string Namespace, string Name) SplitKey(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return (key[..slash], key[(slash + 1)..]);
    }

    /// <summary>The keys an event concerns; only computing keys, never doing the work.</summary>
    protected abstract IEnumerable<string> KeysFor(string eventType, T obj);

    /// <summary>Brings the world in line with the object named by <paramref name="key"/>; throws to be retried.</summary>
    protected abstract Task SyncAsync(string key, CancellationToken cancellationToken);

    /// <summary>Watches of other resources feeding the same queue, started beside the main one (see <see cref="WatchAsync"/>).</summary>
    protected virtual IEnumerable<Task> OtherWatches(CancellationToken stoppingToken) => [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var tasks = Enumerable.Range(0, workers).Select(_ => WorkAsync(stoppingToken))
            .Append(WatchAsync(resources, KeysFor, synced, stoppingToken))
            .Concat(OtherWatches(stoppingToken));
        try
        {
            await Task.WhenAll(tasks).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override void Dispose()
    {
        base.Dispose();
        Queue.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>
    /// Queues the keys <paramref name="keysFor"/> gives for each event of <paramref name="client"/> in every namespace, and
    /// completes <paramref name="listed"/> once the current objects have been seen.
    /// </summary>
    protected async Task WatchAsync<TWatched>(IResourceClient<TWatched> client, Func<string, TWatched, IEnumerable<string>> keysFor,
        TaskCompletionSource listed, CancellationToken stoppingToken)
        where TWatched : class, IResource
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(keysFor);
        ArgumentNullException.ThrowIfNull(listed);
        string? version = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // The first events are the current objects, read from the store one at a time as they come.
                await foreach (var e in client.WatchAsync(null, new WatchOptions(version), stoppingToken).ConfigureAwait(false))
                {
                    version = e.Object.Metadata.ResourceVersion ?? version;
                    if (e.Type == WatchEvent<TWatched>.Bookmark)
                    {
                        listed.TrySetResult();
                        continue;
                    }
                    foreach (var key in keysFor(e.Type, e.Object))
                    {
                        Queue.Add(key);
                    }
                }
            }
            catch (ApiException e) when (e.Code == 410)
            {
                // The events after our version are gone: list again.
                version = null;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Logger.LogWarning("{Controller}: watch of {Resource} failed, restarting: {Message}", GetType().Name, client.Type.Resource, e.Message);
                await Task.Delay(TimeSpan.FromSeconds(1), Time, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    private async Task WorkAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var key = await Queue.GetAsync(stoppingToken).ConfigureAwait(false);
            try
            {
                await SyncAsync(key, stoppingToken).ConfigureAwait(false);
                Queue.Forget(key);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                var delay = Queue.AddRateLimited(key);
                Logger.LogWarning("{Controller}: sync of {Key} failed, retrying in {Delay}: {Message}",
                    GetType().Name, key, delay, e.Message);
            }
            finally
            {
                Queue.Done(key);
            }
        }
    }
}
