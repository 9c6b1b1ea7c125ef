using ImageStreams.Model.Meta;
using ImageStreams.Resources.Strategies;
using ImageStreams.Store;

namespace ImageStreams.Resources.Storage;

/// <summary>Keeps writes out of namespaces that do not exist or are being deleted (Kubernetes' NamespaceLifecycle admission).</summary>
internal sealed class NamespaceLifecycle(IObjectStore store)
{
    public static ObjectKey Key(string name) => new(ResourceTypes.Namespaces.GroupResource.ToString(), "", name);

    public async ValueTask EnsureWritableAsync(ResourceType type, string ns, string name, CancellationToken cancellationToken)
    {
        var stored = await store.GetAsync(Key(ns), cancellationToken).ConfigureAwait(false)
                     ?? throw ApiErrors.NotFound(ResourceTypes.Namespaces.GroupResource, ns);
        if (stored.Object["status"]?["phase"]?.GetValue<string>() == NamespaceStrategy.Terminating)
        {
            throw ApiErrors.Forbidden(
                $"{type.GroupResource} \"{name}\" is forbidden: unable to create new content in namespace {ns} because it is being terminated");
        }
    }
}
