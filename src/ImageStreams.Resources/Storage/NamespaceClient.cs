using ImageStreams.Model.Core;
using ImageStreams.Model.Meta;
using ImageStreams.Resources.Strategies;
using ImageStreams.Store;

namespace ImageStreams.Resources.Storage;

/// <summary>
/// Namespaces: a stored resource whose deletion takes everything in it along. The namespace is marked Terminating first,
/// so new writes into it are refused and a deletion cut short by a crash is finished at the next start.
/// </summary>
internal sealed class NamespaceClient(ResourceStore<Namespace> inner, IObjectStore store, TimeProvider time) : IResourceClient<Namespace>
{
    public ResourceType Type => inner.Type;

    public ValueTask<Namespace> GetAsync(string? ns, string name, CancellationToken cancellationToken = default) =>
        inner.GetAsync(null, name, cancellationToken);

    public ValueTask<ResourceList<Namespace>> ListAsync(string? ns, ListOptions? options = null, CancellationToken cancellationToken = default) =>
        inner.ListAsync(null, options, cancellationToken);

    public ValueTask<Namespace> CreateAsync(string? ns, Namespace obj, WriteOptions? options = null, CancellationToken cancellationToken = default) =>
        inner.CreateAsync(null, obj, options, cancellationToken);

    public ValueTask<Namespace> UpdateAsync(string? ns, Namespace obj, WriteOptions? options = null, CancellationToken cancellationToken = default) =>
        inner.UpdateAsync(null, obj, options, cancellationToken);

    public IAsyncEnumerable<WatchEvent<Namespace>> WatchAsync(string? ns, WatchOptions? options = null, CancellationToken cancellationToken = default) =>
        inner.WatchAsync(null, options, cancellationToken);

    public async ValueTask<Namespace?> DeleteAsync(string? ns, string name, DeleteOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= DeleteOptions.Default;
        var current = await inner.GetAsync(null, name, cancellationToken).ConfigureAwait(false);
        if (!string.IsNullOrEmpty(options.Uid) && options.Uid != current.Metadata.Uid)
        {
            throw ApiErrors.Conflict(Type.GroupResource, name,
                $"Precondition failed: UID in precondition: {options.Uid}, UID in object meta: {current.Metadata.Uid}");
        }
        if (!string.IsNullOrEmpty(options.ResourceVersion) && options.ResourceVersion != current.Metadata.ResourceVersion)
        {
            throw ApiErrors.Conflict(Type.GroupResource, name);
        }
        if (options.DryRun)
        {
            return current;
        }
        var terminating = current.Status?.Phase == NamespaceStrategy.Terminating
            ? current
            : await inner.UpdateAsync(null, current with
            {
                Metadata = current.Metadata with { DeletionTimestamp = time.GetUtcNow() },
                Status = new NamespaceStatus { Phase = NamespaceStrategy.Terminating },
            }, new WriteOptions(WriteScope.All), cancellationToken).ConfigureAwait(false);
        await FinishAsync(name, cancellationToken).ConfigureAwait(false);
        return terminating;
    }

    /// <summary>Finishes the deletion of namespaces left Terminating (by a crash in the middle of one).</summary>
    public async ValueTask FinishTerminatingAsync(CancellationToken cancellationToken)
    {
        var namespaces = await inner.ListAsync(null, null, cancellationToken).ConfigureAwait(false);
        foreach (var ns in namespaces.Items.Where(n => n.Status?.Phase == NamespaceStrategy.Terminating))
        {
            await FinishAsync(ns.Metadata.Name!, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Creates the namespace unless it exists.</summary>
    public async ValueTask EnsureAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            await inner.CreateAsync(null, new Namespace { Metadata = new ObjectMeta { Name = name } }, null, cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException e) when (e.Reason == StatusReasons.AlreadyExists)
        {
        }
    }

    private async ValueTask FinishAsync(string name, CancellationToken cancellationToken)
    {
        await store.DeleteNamespaceContentsAsync(name, cancellationToken).ConfigureAwait(false);
        try
        {
            await inner.DeleteAsync(null, name, null, cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException e) when (e.Reason == StatusReasons.NotFound)
        {
        }
        // A create that passed its namespace check just before the namespace was marked may have landed since.
        await store.DeleteNamespaceContentsAsync(name, cancellationToken).ConfigureAwait(false);
    }
}
