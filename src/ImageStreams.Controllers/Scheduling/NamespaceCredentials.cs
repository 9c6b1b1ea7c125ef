using System.Collections.Concurrent;
using ImageStreams.Controllers.Import;
using ImageStreams.Model.Core;
using ImageStreams.Model.Meta;
using ImageStreams.Registry.Auth;
using ImageStreams.Resources;
using Microsoft.Extensions.Logging;

namespace ImageStreams.Controllers.Scheduling;

/// <summary>
/// The pull credentials of each namespace, read from its secrets once and kept until a secret of that namespace changes
/// (a watch tells), so that a check costs no store read.
/// </summary>
internal sealed class NamespaceCredentials(ResourceSet resources, TimeProvider time, ILogger logger)
{
    private readonly PullSecrets secrets = new(resources.Secrets);
    private readonly ConcurrentDictionary<string, ICredentialProvider> cache = new(StringComparer.Ordinal);
    private long changes;

    public async ValueTask<ICredentialProvider> ForNamespaceAsync(string ns, CancellationToken cancellationToken)
    {
        if (cache.TryGetValue(ns, out var cached))
        {
            return cached;
        }
        var before = Interlocked.Read(ref changes);
        var provider = await secrets.ForNamespaceAsync(ns, cancellationToken).ConfigureAwait(false);
        // A secret that changed while we read may be missing from what we read: use it this once, keep it only if nothing changed.
        if (Interlocked.Read(ref changes) == before)
        {
            cache[ns] = provider;
        }
        return provider;
    }

    /// <summary>Forgets a namespace's credentials whenever one of its secrets changes, until cancelled.</summary>
    public async Task WatchAsync(CancellationToken stoppingToken)
    {
        string? version = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await foreach (var e in resources.Secrets.WatchAsync(null, new WatchOptions(version), stoppingToken).ConfigureAwait(false))
                {
                    version = e.Object.Metadata.ResourceVersion ?? version;
                    if (e.Type != WatchEvent<Secret>.Bookmark && e.Object.Metadata.Namespace is { } ns)
                    {
                        Interlocked.Increment(ref changes);
                        cache.TryRemove(ns, out _);
                    }
                }
            }
            catch (ApiException e) when (e.Code == 410)
            {
                version = null;
                Interlocked.Increment(ref changes);
                cache.Clear();
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning("scheduled import: the watch of secrets failed, restarting: {Message}", e.Message);
                cache.Clear();
                await Task.Delay(TimeSpan.FromSeconds(1), time, stoppingToken).ConfigureAwait(false);
            }
        }
    }
}
