using ImageStreams.Model.Meta;
using ImageStreams.Resources.Storage;

namespace ImageStreams.Resources;

/// <summary>Read-modify-write helpers for controllers.</summary>
public static class ResourceClientExtensions
{
    /// <summary>Writes the status (and labels and annotations) of an object; its spec stays as stored.</summary>
    public static ValueTask<T> UpdateStatusAsync<T>(this IResourceClient<T> client, string? ns, T obj, CancellationToken cancellationToken = default)
        where T : class, IResource =>
        client.UpdateAsync(ns, obj, new WriteOptions(WriteScope.Status), cancellationToken);

    /// <summary>The object, or null when there is none.</summary>
    public static async ValueTask<T?> FindAsync<T>(this IResourceClient<T> client, string? ns, string name, CancellationToken cancellationToken = default)
        where T : class, IResource
    {
        try
        {
            return await client.GetAsync(ns, name, cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException e) when (e.Reason == StatusReasons.NotFound)
        {
            return null;
        }
    }

    /// <summary>
    /// Reads the object, lets <paramref name="mutate"/> change it, and writes the result guarded by the version it read;
    /// on a conflict it starts over with a fresh read. <paramref name="mutate"/> returns null (or its argument) to write
    /// nothing, and must return a copy made with <c>with</c> so the resource version it was given is kept.
    /// </summary>
    public static async ValueTask<T> GuaranteedUpdateAsync<T>(
        this IResourceClient<T> client,
        string? ns,
        string name,
        Func<T, CancellationToken, ValueTask<T?>> mutate,
        WriteScope scope = WriteScope.Main,
        CancellationToken cancellationToken = default)
        where T : class, IResource
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(mutate);
        var options = new WriteOptions(scope);
        for (var attempt = 1; ; attempt++)
        {
            var current = await client.GetAsync(ns, name, cancellationToken).ConfigureAwait(false);
            var changed = await mutate(current, cancellationToken).ConfigureAwait(false);
            if (changed is null || ReferenceEquals(changed, current))
            {
                return current;
            }
            try
            {
                return await client.UpdateAsync(ns, changed, options, cancellationToken).ConfigureAwait(false);
            }
            catch (ApiException e) when (e.Reason == StatusReasons.Conflict && attempt < ResourceStore<T>.MaxConflictRetries)
            {
            }
        }
    }

    /// <inheritdoc cref="GuaranteedUpdateAsync{T}(IResourceClient{T}, string?, string, Func{T, CancellationToken, ValueTask{T}}, WriteScope, CancellationToken)"/>
    public static ValueTask<T> GuaranteedUpdateAsync<T>(
        this IResourceClient<T> client,
        string? ns,
        string name,
        Func<T, T?> mutate,
        WriteScope scope = WriteScope.Main,
        CancellationToken cancellationToken = default)
        where T : class, IResource =>
        client.GuaranteedUpdateAsync(ns, name, (current, _) => ValueTask.FromResult(mutate(current)), scope, cancellationToken);
}
