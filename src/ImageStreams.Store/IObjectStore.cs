using System.Text.Json;
using System.Text.Json.Nodes;

namespace ImageStreams.Store;

/// <summary>Where an object lives: its resource (plural, with group: "imagestreams.image.openshift.io"), namespace ("" when cluster scoped) and name.</summary>
public readonly record struct ObjectKey(string Resource, string Namespace, string Name)
{
    public override string ToString() => Namespace.Length == 0 ? $"{Resource}/{Name}" : $"{Resource}/{Namespace}/{Name}";
}

/// <summary>An object as stored, with the resource version of its last write (also set in its metadata.resourceVersion).</summary>
public sealed class StoredObject
{
    private readonly byte[]? utf8;
    private JsonObject? node;

    public StoredObject(ObjectKey key, long resourceVersion, JsonObject obj)
    {
        Key = key;
        ResourceVersion = resourceVersion;
        node = obj;
    }

    /// <summary>
    /// From the stored UTF-8 text, parsed only when read: a list of many objects then holds their compact text, not a
    /// JSON tree each, and <see cref="Decode{T}"/> never builds the tree at all.
    /// </summary>
    public StoredObject(ObjectKey key, long resourceVersion, byte[] utf8Json)
    {
        Key = key;
        ResourceVersion = resourceVersion;
        utf8 = utf8Json;
    }

    public ObjectKey Key { get; }

    public long ResourceVersion { get; }

    /// <summary>The object as a JSON tree of its own (callers may change it), parsed on first use.</summary>
    public JsonObject Object => node ??= ObjectJson.Parse(utf8!);

    /// <summary>The object as <typeparamref name="T"/>, read straight from the stored text when the tree was never built.</summary>
    public T Decode<T>(JsonSerializerOptions options) =>
        (node is null ? JsonSerializer.Deserialize<T>(utf8, options) : node.Deserialize<T>(options))
        ?? throw new JsonException("a stored object is null");
}

/// <summary>A consistent list: the objects and the resource version it was read at (a watch from it misses nothing).</summary>
public sealed record StoredList(long ResourceVersion, IReadOnlyList<StoredObject> Items);

/// <summary>
/// A consistent list read one object at a time: the objects and version <see cref="IObjectStore.ListAsync"/> would return,
/// without holding them all at once. It reads one snapshot, kept until it is disposed; writers are not held up, but read it
/// promptly and dispose it.
/// </summary>
public interface IStoredListCursor : IAsyncDisposable
{
    /// <summary>The resource version the list is read at (a watch from it misses nothing).</summary>
    long ResourceVersion { get; }

    /// <summary>The next object in namespace and name order, or null after the last.</summary>
    ValueTask<StoredObject?> NextAsync(CancellationToken cancellationToken = default);
}

public enum StoreEventType
{
    Added,
    Modified,
    Deleted,
}

/// <summary>One change. For a deletion, the object is its last state with the resource version of the deletion.</summary>
public sealed record StoreEvent(StoreEventType Type, StoredObject Object);

/// <summary>Why a store write failed; the API maps each to a Kubernetes Status.</summary>
public enum StoreErrorReason
{
    NotFound,
    AlreadyExists,
    Conflict,
    /// <summary>A watch asked for a resource version older than the event log keeps.</summary>
    Gone,
}

public sealed class StoreException(StoreErrorReason reason, ObjectKey key, string message) : Exception(message)
{
    public StoreErrorReason Reason { get; } = reason;
    public ObjectKey Key { get; } = key;
}

/// <summary>
/// A durable store of JSON objects with one monotonic resource version across all of them, optimistic concurrency
/// and watches. It knows nothing of kinds: generation, validation and status rules live above it.
/// Every backend passes the same contract tests.
/// </summary>
public interface IObjectStore : IAsyncDisposable
{
    /// <summary>The object, or null when there is none.</summary>
    ValueTask<StoredObject?> GetAsync(ObjectKey key, CancellationToken cancellationToken = default);

    /// <summary>Objects of a resource in one namespace, or in all when <paramref name="ns"/> is null, ordered by namespace and name.</summary>
    ValueTask<StoredList> ListAsync(string resource, string? ns, CancellationToken cancellationToken = default);

    /// <summary>The same list as <see cref="ListAsync"/>, read one object at a time: memory for one object, not for all of them.</summary>
    ValueTask<IStoredListCursor> OpenListAsync(string resource, string? ns, CancellationToken cancellationToken = default);

    /// <summary>Stores a new object; <see cref="StoreErrorReason.AlreadyExists"/> if the key is taken.</summary>
    ValueTask<StoredObject> CreateAsync(ObjectKey key, JsonObject obj, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces an object. When <paramref name="expectedResourceVersion"/> is given and is not the current one the write fails with
    /// <see cref="StoreErrorReason.Conflict"/>; a missing object fails with <see cref="StoreErrorReason.NotFound"/>.
    /// </summary>
    ValueTask<StoredObject> UpdateAsync(ObjectKey key, JsonObject obj, long? expectedResourceVersion, CancellationToken cancellationToken = default);

    /// <summary>Deletes an object and returns its last state; the same errors as <see cref="UpdateAsync"/>.</summary>
    ValueTask<StoredObject> DeleteAsync(ObjectKey key, long? expectedResourceVersion, CancellationToken cancellationToken = default);

    /// <summary>Deletes every object of every resource in a namespace, with one deletion event each.</summary>
    ValueTask<int> DeleteNamespaceContentsAsync(string ns, CancellationToken cancellationToken = default);

    /// <summary>
    /// Changes after <paramref name="sinceResourceVersion"/>, then live ones, in resource version order, until cancelled.
    /// <paramref name="resource"/> null watches every resource. Throws <see cref="StoreErrorReason.Gone"/> when the
    /// events after that version are no longer kept, or when the watcher fell so far behind that they no longer are.
    /// A <paramref name="sinceResourceVersion"/> of 0 means "from now": only changes after the current version, no replay
    /// (to see existing objects, list first and watch from the list's version).
    /// </summary>
    IAsyncEnumerable<StoreEvent> WatchAsync(string? resource, string? ns, long sinceResourceVersion, CancellationToken cancellationToken = default);

    /// <summary>The resource version of the latest write; a new store is at 1, so that no list is at 0 (which a watch reads as "from now").</summary>
    ValueTask<long> CurrentResourceVersionAsync(CancellationToken cancellationToken = default);
}
