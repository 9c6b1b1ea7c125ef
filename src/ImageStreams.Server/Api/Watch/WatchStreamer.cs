using System.Globalization;
using System.Text.Json.Nodes;
using ImageStreams.Model.Meta;
using ImageStreams.Model.Serialization;
using ImageStreams.Resources;
using ImageStreams.Server.Api.Content;
using Microsoft.AspNetCore.Http;

namespace ImageStreams.Server.Api.Watch;

/// <summary>
/// Streams watch events as Kubernetes does: one JSON object <c>{"type", "object"}</c> per line over a chunked response,
/// until the timeout or the client leaves. Failures after the stream started (an expired version) become an ERROR event.
/// </summary>
internal static class WatchStreamer
{
    /// <summary>How often a watch that asked for bookmarks gets one while nothing changes (Kubernetes sends them about every minute).</summary>
    public static readonly TimeSpan BookmarkInterval = TimeSpan.FromMinutes(1);

    public static async Task StreamAsync(
        HttpContext context,
        ResourceType type,
        Func<CancellationToken, IAsyncEnumerable<ResourceEvent>> watch,
        Func<JsonObject, JsonNode> present,
        bool bookmarks,
        TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        using var lifetime = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        lifetime.CancelAfter(timeout);
        var token = lifetime.Token;
        // Started before the response, so a bad selector or version is a plain 400 rather than an event.
        var events = watch(token).GetAsyncEnumerator(token);
        await using (events.ConfigureAwait(false))
        {
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = MediaTypes.Json;
            await context.Response.StartAsync(cancellationToken).ConfigureAwait(false);
            await context.Response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
            long lastVersion = 0;
            Task<bool>? next = null;
            Task? tick = null;
            try
            {
                while (true)
                {
                    next ??= events.MoveNextAsync().AsTask();
                    if (bookmarks)
                    {
                        tick ??= Task.Delay(BookmarkInterval, token);
                        if (await Task.WhenAny(next, tick).ConfigureAwait(false) == tick)
                        {
                            token.ThrowIfCancellationRequested();
                            tick = null;
                            if (lastVersion > 0)
                            {
                                await WriteAsync(context, WatchEvent<object>.Bookmark, Bookmark(type, lastVersion), token).ConfigureAwait(false);
                            }
                            continue;
                        }
                    }
                    if (!await next.ConfigureAwait(false))
                    {
                        return;
                    }
                    next = null;
                    var change = events.Current;
                    lastVersion = Math.Max(lastVersion, change.ResourceVersion);
                    if (change.Type == WatchEvent<object>.Bookmark)
                    {
                        if (bookmarks)
                        {
                            await WriteAsync(context, change.Type, change.Object, token).ConfigureAwait(false);
                        }
                        continue;
                    }
                    await WriteAsync(context, change.Type, present(change.Object), token).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                // The timeout or the client ended the watch: a normal end of the stream.
            }
            catch (ApiException e)
            {
                await WriteAsync(context, WatchEvent<object>.Error, ResourceJson.ToNode(e.Status), cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                if (next is not null)
                {
                    // Observe the pending read, cancelled with the token, so it does not outlive the enumerator.
                    await next.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).ConfigureAwait(false);
                }
            }
        }
    }

    private static JsonObject Bookmark(ResourceType type, long version) => new()
    {
        ["kind"] = type.Kind,
        ["apiVersion"] = type.GroupVersion,
        ["metadata"] = new JsonObject { ["resourceVersion"] = version.ToString(CultureInfo.InvariantCulture) },
    };

    private static async Task WriteAsync(HttpContext context, string type, JsonNode obj, CancellationToken cancellationToken)
    {
        var line = new JsonObject { ["type"] = type, ["object"] = obj.DeepClone() }.ToJsonString(ResourceJson.Options) + "\n";
        await context.Response.WriteAsync(line, cancellationToken).ConfigureAwait(false);
        await context.Response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
