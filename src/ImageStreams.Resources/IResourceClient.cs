using ImageStreams.Model.Meta;

namespace ImageStreams.Resources;

/// <summary>
/// Typed access to one resource with its rules applied (the Kubernetes "strategy"): what the HTTP API serves and what
/// in-process controllers read and write. <paramref name="ns"/> parameters are the namespace of the request; they are
/// ignored for cluster-scoped resources. Failures are <see cref="ApiException"/>s from <see cref="ApiErrors"/>.
/// </summary>
/// <typeparam name="T">A resource record of the model.</typeparam>
public interface IResourceClient<T>
    where T : class, IResource
{
    ResourceType Type { get; }

    /// <summary>The object; NotFound when there is none.</summary>
    ValueTask<T> GetAsync(string? ns, string name, CancellationToken cancellationToken = default);

    /// <summary>Objects in one namespace, or in all when <paramref name="ns"/> is null, ordered by namespace and name.</summary>
    ValueTask<ResourceList<T>> ListAsync(string? ns, ListOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Creates an object; its namespace defaults to <paramref name="ns"/>. Server-owned fields in it are ignored.</summary>
    ValueTask<T> CreateAsync(string? ns, T obj, WriteOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces an object. A resource version in it must be the current one (Conflict otherwise); without one, or with one
    /// this server never issued (from another server's output), the write is unconditional. <see cref="WriteOptions.Scope"/> chooses what is written: the object, its status, or both.
    /// </summary>
    ValueTask<T> UpdateAsync(string? ns, T obj, WriteOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Deletes an object and returns its last state, or null when the resource has nothing to return.</summary>
    ValueTask<T?> DeleteAsync(string? ns, string name, DeleteOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Changes, in resource version order, until cancelled. Without <see cref="WatchOptions.ResourceVersion"/> (or with "0")
    /// the current objects come first as ADDED events, followed by a BOOKMARK at the version they were read at.
    /// An expired version fails with 410 Expired when enumerated.
    /// </summary>
    IAsyncEnumerable<WatchEvent<T>> WatchAsync(string? ns, WatchOptions? options = null, CancellationToken cancellationToken = default);
}

/// <summary>What part of an object an update writes.</summary>
public enum WriteScope
{
    /// <summary>Metadata and spec; the status is kept as stored (PUT on the resource).</summary>
    Main,

    /// <summary>Status, labels and annotations; the spec is kept as stored (PUT on the status subresource).</summary>
    Status,

    /// <summary>Spec and status together, for the server's own writers (imports, image stream tags).</summary>
    All,
}

/// <summary>Selects objects of a list, a watch or a collection delete.</summary>
/// <param name="LabelSelector">Kubernetes label selector syntax: <c>a=b,c!=d,e in (f,g),!h</c>.</param>
/// <param name="FieldSelector"><c>metadata.name=x</c> and <c>metadata.namespace=y</c>, with <c>=</c>, <c>==</c> or <c>!=</c>.</param>
public sealed record ListOptions(string? LabelSelector = null, string? FieldSelector = null);

/// <param name="ResourceVersion">Start after this version; null, empty or "0" starts with the current objects.</param>
/// <param name="SendInitialEvents">True sends the current objects first even when a version is given.</param>
public sealed record WatchOptions(
    string? ResourceVersion = null,
    string? LabelSelector = null,
    string? FieldSelector = null,
    bool SendInitialEvents = false);

/// <param name="Scope">What an update writes.</param>
/// <param name="DryRun">Run every rule, store nothing, and return what would have been stored.</param>
/// <param name="StrictFields">Unknown fields in a JSON body are an error instead of being dropped.</param>
public sealed record WriteOptions(WriteScope Scope = WriteScope.Main, bool DryRun = false, bool StrictFields = false)
{
    public static WriteOptions Default { get; } = new();
}

/// <param name="ResourceVersion">Precondition: delete only this version.</param>
/// <param name="Uid">Precondition: delete only the object with this uid.</param>
public sealed record DeleteOptions(string? ResourceVersion = null, string? Uid = null, bool DryRun = false)
{
    public static DeleteOptions Default { get; } = new();
}
