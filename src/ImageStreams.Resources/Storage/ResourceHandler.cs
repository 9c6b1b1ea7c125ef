using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using ImageStreams.Model.Meta;
using ImageStreams.Model.Serialization;

namespace ImageStreams.Resources.Storage;

/// <summary>Serves a typed client as JSON: decodes bodies (with Kubernetes' error messages), encodes results.</summary>
public sealed class ResourceHandler<T>(IResourceClient<T> client) : IResourceHandler
    where T : class, IResource
{
    public ResourceType Type => client.Type;

    public async ValueTask<JsonObject> GetAsync(string? ns, string name, CancellationToken cancellationToken = default) =>
        ResourceJson.ToNode(await client.GetAsync(ns, name, cancellationToken).ConfigureAwait(false));

    public async ValueTask<JsonObject> ListAsync(string? ns, ListOptions options, CancellationToken cancellationToken = default) =>
        ResourceJson.ToNode(await client.ListAsync(ns, options, cancellationToken).ConfigureAwait(false));

    public async ValueTask<JsonObject> CreateAsync(string? ns, JsonObject body, WriteOptions options, CancellationToken cancellationToken = default) =>
        ResourceJson.ToNode(await client.CreateAsync(ns, Decode(body, options.StrictFields), options, cancellationToken).ConfigureAwait(false));

    public async ValueTask<JsonObject> UpdateAsync(string? ns, string name, JsonObject body, WriteOptions options, CancellationToken cancellationToken = default)
    {
        var obj = Decode(body, options.StrictFields);
        return ResourceJson.ToNode(await client.UpdateAsync(ns, Named(obj, name), options, cancellationToken).ConfigureAwait(false));
    }

    public async ValueTask<JsonObject> PatchAsync(string? ns, string name, Func<JsonObject, JsonObject> patch, WriteOptions options, CancellationToken cancellationToken = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            var current = ResourceJson.ToNode(await client.GetAsync(ns, name, cancellationToken).ConfigureAwait(false));
            var version = current["metadata"]?["resourceVersion"]?.GetValue<string>();
            // The patch sees the object without its version: if the result has one, the patch set it as a precondition.
            (current["metadata"] as JsonObject)?.Remove("resourceVersion");
            var patched = patch(current);
            var metadata = patched["metadata"] as JsonObject ?? throw ApiErrors.BadRequest("the patch removed metadata");
            var precondition = metadata["resourceVersion"] is not null;
            if (!precondition)
            {
                metadata["resourceVersion"] = version;
            }
            try
            {
                var obj = Decode(patched, options.StrictFields);
                return ResourceJson.ToNode(await client.UpdateAsync(ns, Named(obj, name), options, cancellationToken).ConfigureAwait(false));
            }
            catch (ApiException e) when (e.Reason == StatusReasons.Conflict && !precondition && attempt < ResourceStore<T>.MaxConflictRetries)
            {
            }
        }
    }

    public async ValueTask<JsonObject> DeleteAsync(string? ns, string name, DeleteOptions options, CancellationToken cancellationToken = default)
    {
        var deleted = await client.DeleteAsync(ns, name, options, cancellationToken).ConfigureAwait(false);
        return deleted is not null
            ? ResourceJson.ToNode(deleted)
            : ResourceJson.ToNode(new Status
            {
                State = Status.Success,
                Details = new StatusDetails { Name = name, Group = Type.Group, Kind = Type.Resource },
            });
    }

    public async ValueTask<JsonObject> DeleteCollectionAsync(string? ns, ListOptions selection, DeleteOptions options, CancellationToken cancellationToken = default)
    {
        var list = await client.ListAsync(ns, selection, cancellationToken).ConfigureAwait(false);
        var deleted = new List<T>();
        foreach (var item in list.Items)
        {
            try
            {
                if (await client.DeleteAsync(item.Metadata.Namespace, item.Metadata.Name!, options with { ResourceVersion = null }, cancellationToken).ConfigureAwait(false) is { } gone)
                {
                    deleted.Add(gone);
                }
            }
            catch (ApiException e) when (e.Reason == StatusReasons.NotFound)
            {
            }
        }
        return ResourceJson.ToNode(list with { Items = deleted });
    }

    public IAsyncEnumerable<ResourceEvent> WatchAsync(string? ns, WatchOptions options, CancellationToken cancellationToken = default) =>
        Encode(client.WatchAsync(ns, options, cancellationToken), cancellationToken);

    private static async IAsyncEnumerable<ResourceEvent> Encode(IAsyncEnumerable<WatchEvent<T>> events, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var e in events.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            var version = long.TryParse(e.Object.Metadata?.ResourceVersion, out var v) ? v : 0;
            yield return new ResourceEvent(e.Type, ResourceJson.ToNode(e.Object), version);
        }
    }

    private T Decode(JsonObject body, bool strict) => ResourceBodies.Decode<T>(Type, body, strict);

    /// <summary>The name in the URL names the object; a body without one takes it, a body with another is refused.</summary>
    private T Named(T obj, string name)
    {
        var metadata = obj.Metadata ?? new ObjectMeta();
        if (!string.IsNullOrEmpty(metadata.Name) && metadata.Name != name)
        {
            throw ApiErrors.BadRequest($"the name of the object ({metadata.Name}) does not match the name on the URL ({name})");
        }
        if (!string.IsNullOrEmpty(metadata.Name))
        {
            return obj;
        }
        // Records cannot be copied generically; going through JSON sets the name on any kind.
        var node = ResourceJson.ToNode(obj);
        node["metadata"] = ResourceJson.ToNode(metadata with { Name = name });
        return ResourceJson.FromNode<T>(node);
    }
}
