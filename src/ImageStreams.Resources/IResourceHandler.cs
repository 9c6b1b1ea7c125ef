using System.Text.Json.Nodes;
using ImageStreams.Model.Meta;

namespace ImageStreams.Resources;

/// <summary>
/// The JSON face of one resource: what the HTTP API calls for each verb. Objects come and go as Kubernetes JSON.
/// A resource that supports only some verbs implements only those; the others answer 405 MethodNotAllowed, so a
/// create-only resource (an import request) implements just <see cref="CreateAsync"/>.
/// </summary>
public interface IResourceHandler
{
    ResourceType Type { get; }

    ValueTask<JsonObject> GetAsync(string? ns, string name, CancellationToken cancellationToken = default) =>
        throw NotSupported("get");

    /// <summary>A list document (<c>kind: ImageStreamList</c>) with <c>metadata.resourceVersion</c>.</summary>
    ValueTask<JsonObject> ListAsync(string? ns, ListOptions options, CancellationToken cancellationToken = default) =>
        throw NotSupported("list");

    ValueTask<JsonObject> CreateAsync(string? ns, JsonObject body, WriteOptions options, CancellationToken cancellationToken = default) =>
        throw NotSupported("create");

    ValueTask<JsonObject> UpdateAsync(string? ns, string name, JsonObject body, WriteOptions options, CancellationToken cancellationToken = default) =>
        throw NotSupported("update");

    /// <summary>
    /// Read-modify-write: <paramref name="patch"/> turns the current object into the wanted one. Retried on conflict unless
    /// the patch sets <c>metadata.resourceVersion</c> itself (then that version is a precondition).
    /// </summary>
    ValueTask<JsonObject> PatchAsync(string? ns, string name, Func<JsonObject, JsonObject> patch, WriteOptions options, CancellationToken cancellationToken = default) =>
        throw NotSupported("patch");

    /// <summary>The deleted object, or a <c>Status</c> of success when the resource returns none.</summary>
    ValueTask<JsonObject> DeleteAsync(string? ns, string name, DeleteOptions options, CancellationToken cancellationToken = default) =>
        throw NotSupported("delete");

    /// <summary>Deletes every selected object; returns the list of what was deleted.</summary>
    ValueTask<JsonObject> DeleteCollectionAsync(string? ns, ListOptions selection, DeleteOptions options, CancellationToken cancellationToken = default) =>
        throw NotSupported("deletecollection");

    IAsyncEnumerable<ResourceEvent> WatchAsync(string? ns, WatchOptions options, CancellationToken cancellationToken = default) =>
        throw NotSupported("watch");

    private ApiException NotSupported(string verb) =>
        ApiErrors.MethodNotAllowed($"{verb} is not supported on {Type.GroupResource}");
}

/// <summary>One watch event as JSON: <see cref="WatchEvent{T}.Added"/> and the others, with the object as served.</summary>
public sealed record ResourceEvent(string Type, JsonObject Object, long ResourceVersion);
