using ImageStreams.Model.Build;
using ImageStreams.Model.Meta;
using ImageStreams.Model.Validation;

namespace ImageStreams.Resources.Builds;

/// <summary>
/// BuildConfig writes that would close a cycle of image change triggers are refused with 422 Invalid naming the cycle.
/// Status writes pass unchecked (they change no trigger). Two writes racing past each other can still close a cycle;
/// the trigger controller skips configs on a cycle at run time, so it never loops.
/// </summary>
internal sealed class TriggerCycleGuard(IResourceClient<BuildConfig> inner) : IResourceClient<BuildConfig>
{
    public ResourceType Type => inner.Type;

    public ValueTask<BuildConfig> GetAsync(string? ns, string name, CancellationToken cancellationToken = default) =>
        inner.GetAsync(ns, name, cancellationToken);

    public ValueTask<ResourceList<BuildConfig>> ListAsync(string? ns, ListOptions? options = null, CancellationToken cancellationToken = default) =>
        inner.ListAsync(ns, options, cancellationToken);

    public async ValueTask<BuildConfig> CreateAsync(string? ns, BuildConfig obj, WriteOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(obj);
        if ((options ?? WriteOptions.Default).Scope != WriteScope.Status)
        {
            await CheckAsync(obj with { Metadata = obj.Metadata with { Namespace = obj.Metadata.Namespace ?? ns } }, cancellationToken).ConfigureAwait(false);
        }
        return await inner.CreateAsync(ns, obj, options, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<BuildConfig> UpdateAsync(string? ns, BuildConfig obj, WriteOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(obj);
        if ((options ?? WriteOptions.Default).Scope != WriteScope.Status)
        {
            await CheckAsync(obj with { Metadata = obj.Metadata with { Namespace = obj.Metadata.Namespace ?? ns } }, cancellationToken).ConfigureAwait(false);
        }
        return await inner.UpdateAsync(ns, obj, options, cancellationToken).ConfigureAwait(false);
    }

    public ValueTask<BuildConfig?> DeleteAsync(string? ns, string name, DeleteOptions? options = null, CancellationToken cancellationToken = default) =>
        inner.DeleteAsync(ns, name, options, cancellationToken);

    public IAsyncEnumerable<WatchEvent<BuildConfig>> WatchAsync(string? ns, WatchOptions? options = null, CancellationToken cancellationToken = default) =>
        inner.WatchAsync(ns, options, cancellationToken);

    private async Task CheckAsync(BuildConfig config, CancellationToken cancellationToken)
    {
        if (BuildTriggers.Output(config) is null || string.IsNullOrEmpty(config.Metadata.Name))
        {
            return;
        }
        var all = await inner.ListAsync(null, null, cancellationToken).ConfigureAwait(false);
        if (TriggerCycles.Find(config, all.Items) is { } cycle)
        {
            throw ApiErrors.Invalid(BuildConfig.KindName, BuildApi.Group, config.Metadata.Name,
            [
                new FieldError("spec.triggers", FieldError.Forbidden, $"image change triggers would form a cycle: {cycle}"),
            ]);
        }
    }
}
