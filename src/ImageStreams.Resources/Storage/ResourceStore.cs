using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using ImageStreams.Model.Meta;
using ImageStreams.Model.Serialization;
using ImageStreams.Resources.Selection;
using ImageStreams.Resources.Strategies;
using ImageStreams.Store;

namespace ImageStreams.Resources.Storage;

/// <summary>
/// A stored resource: the metadata rules every kind shares (server-owned uid, versions, timestamps; namespaces from the
/// request; optimistic concurrency), the kind's strategy, and the mapping of store errors onto API errors.
/// </summary>
internal sealed class ResourceStore<T>(
    IObjectStore store,
    IResourceStrategy<T> strategy,
    NamespaceLifecycle namespaces,
    TimeProvider time) : IResourceClient<T>
    where T : class, IResource
{
    /// <summary>How often an unconditional update is retried when another writer wins the race.</summary>
    public const int MaxConflictRetries = 10;

    private const string InitialEventsEndAnnotation = "k8s.io/initial-events-end";
    private const string GenerateNameAlphabet = "bcdfghjklmnpqrstvwxz2456789";

    public ResourceType Type => strategy.Type;

    private string Resource { get; } = strategy.Type.GroupResource.ToString();

    public async ValueTask<T> GetAsync(string? ns, string name, CancellationToken cancellationToken = default)
    {
        var stored = await ReadAsync(Key(ns, name), cancellationToken).ConfigureAwait(false)
                     ?? throw ApiErrors.NotFound(Type.GroupResource, name);
        return Decode(stored);
    }

    public async ValueTask<ResourceList<T>> ListAsync(string? ns, ListOptions? options = null, CancellationToken cancellationToken = default)
    {
        var labels = LabelSelector.Parse(options?.LabelSelector);
        var fields = FieldSelector.Parse(options?.FieldSelector);
        // Read one object at a time: the list holds decoded objects only, never their stored text as well.
        var list = await store.OpenListAsync(Resource, Type.Namespaced ? NullIfEmpty(ns) : null, cancellationToken).ConfigureAwait(false);
        await using (list.ConfigureAwait(false))
        {
            var items = new List<T>();
            while (await list.NextAsync(cancellationToken).ConfigureAwait(false) is { } stored)
            {
                var obj = Decode(stored);
                if (labels.Matches(obj.Metadata.Labels) && fields.Matches(obj.Metadata))
                {
                    items.Add(obj);
                }
            }
            return new ResourceList<T>
            {
                ApiVersion = Type.GroupVersion,
                Kind = Type.ListKind,
                Metadata = new ListMeta { ResourceVersion = Format(list.ResourceVersion) },
                Items = items,
            };
        }
    }

    public async ValueTask<T> CreateAsync(string? ns, T obj, WriteOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= WriteOptions.Default;
        var metadata = obj.Metadata ?? new ObjectMeta();
        var objectNamespace = ResolveNamespace(ns, metadata.Namespace);
        var name = string.IsNullOrEmpty(metadata.Name) && !string.IsNullOrEmpty(metadata.GenerateName)
            ? metadata.GenerateName + RandomSuffix()
            : metadata.Name;
        var now = time.GetUtcNow();
        metadata = metadata with
        {
            Name = name,
            Namespace = objectNamespace,
            Uid = Guid.NewGuid().ToString(),
            ResourceVersion = null,
            // Kept to the second, as the wire format is, so what a create returns equals what a get returns.
            CreationTimestamp = new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero),
            DeletionTimestamp = null,
            Generation = strategy.HasGeneration ? 1 : 0,
            SelfLink = string.IsNullOrEmpty(name) ? null : SelfLink(objectNamespace, name),
        };
        var prepared = strategy.PrepareForCreate(strategy.WithMetadata(obj, metadata), options.Scope);
        Validate(prepared, null);
        if (objectNamespace is not null)
        {
            await namespaces.EnsureWritableAsync(Type, objectNamespace, name!, cancellationToken).ConfigureAwait(false);
        }
        if (options.DryRun)
        {
            return strategy.Decorate(prepared);
        }
        try
        {
            var stored = await store.CreateAsync(Key(objectNamespace, name!), ResourceJson.ToNode(prepared), cancellationToken).ConfigureAwait(false);
            return Decode(stored);
        }
        catch (StoreException e)
        {
            throw StoreErrors.ToApi(e, Type);
        }
    }

    public async ValueTask<T> UpdateAsync(string? ns, T obj, WriteOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= WriteOptions.Default;
        var metadata = obj.Metadata ?? new ObjectMeta();
        var name = string.IsNullOrEmpty(metadata.Name) ? throw ApiErrors.BadRequest("metadata.name is required") : metadata.Name;
        var objectNamespace = ResolveNamespace(ns, metadata.Namespace);
        var expected = StoreErrors.ParseResourceVersion(metadata.ResourceVersion);
        // A version newer than any this server issued was printed by another server (a document exported from OpenShift):
        // it is ignored like the other server-owned fields, so re-applying such a document works.
        if (expected > await store.CurrentResourceVersionAsync(cancellationToken).ConfigureAwait(false))
        {
            expected = null;
        }
        var key = Key(objectNamespace, name);
        for (var attempt = 1; ; attempt++)
        {
            var current = await ReadAsync(key, cancellationToken).ConfigureAwait(false) ?? throw ApiErrors.NotFound(Type.GroupResource, name);
            if (expected is not null && expected != current.ResourceVersion)
            {
                throw ApiErrors.Conflict(Type.GroupResource, name);
            }
            var old = ResourceJson.FromNode<T>(current.Object);
            var prepared = strategy.PrepareForUpdate(
                strategy.WithMetadata(obj, KeepServerFields(metadata, old.Metadata, objectNamespace, current.ResourceVersion, options.Scope)),
                old,
                options.Scope);
            Validate(prepared, old);
            var json = ResourceJson.ToNode(prepared);
            // A write that changes nothing is not a write: no new version, no watch event (controllers are level driven).
            if (options.DryRun || JsonNode.DeepEquals(json, current.Object))
            {
                return strategy.Decorate(prepared);
            }
            try
            {
                var stored = await store.UpdateAsync(key, json, current.ResourceVersion, cancellationToken).ConfigureAwait(false);
                return Decode(stored);
            }
            catch (StoreException e) when (e.Reason == StoreErrorReason.Conflict && expected is null && attempt < MaxConflictRetries)
            {
            }
            catch (StoreException e)
            {
                throw StoreErrors.ToApi(e, Type);
            }
        }
    }

    public async ValueTask<T?> DeleteAsync(string? ns, string name, DeleteOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= DeleteOptions.Default;
        var key = Key(ns, name);
        var expected = StoreErrors.ParseResourceVersion(options.ResourceVersion);
        if (options.DryRun || !string.IsNullOrEmpty(options.Uid))
        {
            var current = await ReadAsync(key, cancellationToken).ConfigureAwait(false) ?? throw ApiErrors.NotFound(Type.GroupResource, name);
            var currentUid = current.Object["metadata"]?["uid"]?.GetValue<string>();
            if (!string.IsNullOrEmpty(options.Uid) && options.Uid != currentUid)
            {
                throw ApiErrors.Conflict(Type.GroupResource, name,
                    $"Precondition failed: UID in precondition: {options.Uid}, UID in object meta: {currentUid}");
            }
            if (expected is not null && expected != current.ResourceVersion)
            {
                throw ApiErrors.Conflict(Type.GroupResource, name);
            }
            if (options.DryRun)
            {
                return Decode(current);
            }
            expected = current.ResourceVersion;
        }
        try
        {
            return Decode(await store.DeleteAsync(key, expected, cancellationToken).ConfigureAwait(false));
        }
        catch (StoreException e)
        {
            throw StoreErrors.ToApi(e, Type);
        }
    }

    public IAsyncEnumerable<WatchEvent<T>> WatchAsync(string? ns, WatchOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new WatchOptions();
        // Checked now, so a bad request fails before a watch stream starts.
        var labels = LabelSelector.Parse(options.LabelSelector);
        var fields = FieldSelector.Parse(options.FieldSelector);
        var since = StoreErrors.ParseResourceVersion(options.ResourceVersion) ?? 0;
        var initial = since == 0 || options.SendInitialEvents;
        return WatchCore(Type.Namespaced ? NullIfEmpty(ns) : null, labels, fields, initial ? null : since, cancellationToken);
    }

    private async IAsyncEnumerable<WatchEvent<T>> WatchCore(
        string? ns,
        LabelSelector labels,
        FieldSelector fields,
        long? since,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        bool Matches(T obj) => labels.Matches(obj.Metadata.Labels) && fields.Matches(obj.Metadata);
        var filtered = !labels.IsEverything || fields != FieldSelector.Everything;
        // Objects this watch has reported as matching, so one that stops matching is reported as DELETED.
        var matching = new HashSet<string>(StringComparer.Ordinal);

        if (since is null)
        {
            // The initial objects are read as they are sent, so a watch of many objects holds one at a time, never the list.
            var list = await store.OpenListAsync(Resource, ns, cancellationToken).ConfigureAwait(false);
            await using (list.ConfigureAwait(false))
            {
                while (await list.NextAsync(cancellationToken).ConfigureAwait(false) is { } stored)
                {
                    var obj = Decode(stored);
                    if (Matches(obj))
                    {
                        if (filtered)
                        {
                            matching.Add(stored.Key.ToString());
                        }
                        yield return new WatchEvent<T>(WatchEvent<T>.Added, obj);
                    }
                }
                since = list.ResourceVersion;
            }
            yield return new WatchEvent<T>(WatchEvent<T>.Bookmark, Bookmark(since.Value, initialEventsEnd: true));
        }

        var events = store.WatchAsync(Resource, ns, since.Value, cancellationToken).GetAsyncEnumerator(cancellationToken);
        await using (events.ConfigureAwait(false))
        {
            while (true)
            {
                bool more;
                try
                {
                    more = await events.MoveNextAsync().ConfigureAwait(false);
                }
                catch (StoreException e)
                {
                    throw StoreErrors.ToApi(e, Type);
                }
                if (!more)
                {
                    yield break;
                }
                var change = events.Current;
                var obj = Decode(change.Object);
                var key = change.Object.Key.ToString();
                var type = change.Type switch
                {
                    StoreEventType.Added => WatchEvent<T>.Added,
                    StoreEventType.Modified => WatchEvent<T>.Modified,
                    _ => WatchEvent<T>.Deleted,
                };
                if (filtered)
                {
                    var matches = Matches(obj);
                    var reported = matches && type != WatchEvent<T>.Deleted ? !matching.Add(key) : matching.Remove(key);
                    if (!matches)
                    {
                        if (!reported)
                        {
                            continue;
                        }
                        // It no longer matches: for this watch it is gone.
                        type = WatchEvent<T>.Deleted;
                    }
                }
                yield return new WatchEvent<T>(type, obj);
            }
        }
    }

    /// <summary>The store key of an object; BadRequest when the request lacks its name or namespace.</summary>
    private ObjectKey Key(string? ns, string name)
    {
        if (string.IsNullOrEmpty(name))
        {
            throw ApiErrors.BadRequest($"a name is required to address {Type.GroupResource}");
        }
        if (!Type.Namespaced)
        {
            return new ObjectKey(Resource, "", name);
        }
        return string.IsNullOrEmpty(ns)
            ? throw ApiErrors.BadRequest($"a namespace is required to address {Type.GroupResource}")
            : new ObjectKey(Resource, ns, name);
    }

    private string? ResolveNamespace(string? request, string? body)
    {
        if (!Type.Namespaced)
        {
            return null;
        }
        if (!string.IsNullOrEmpty(request) && !string.IsNullOrEmpty(body) && request != body)
        {
            throw ApiErrors.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
        }
        var resolved = string.IsNullOrEmpty(request) ? body : request;
        return string.IsNullOrEmpty(resolved)
            ? throw ApiErrors.BadRequest($"a namespace is required to create or update {Type.GroupResource}")
            : resolved;
    }

    /// <summary>The server-owned metadata of an update comes from the stored object, whatever the body says.</summary>
    private static ObjectMeta KeepServerFields(ObjectMeta metadata, ObjectMeta old, string? ns, long version, WriteScope scope) => metadata with
    {
        Namespace = ns,
        Uid = old.Uid,
        CreationTimestamp = old.CreationTimestamp,
        SelfLink = old.SelfLink,
        GenerateName = old.GenerateName,
        Generation = old.Generation,
        ResourceVersion = Format(version),
        // Only the server's own writers mark an object as being deleted.
        DeletionTimestamp = scope == WriteScope.All ? metadata.DeletionTimestamp ?? old.DeletionTimestamp : old.DeletionTimestamp,
    };

    private void Validate(T obj, T? old)
    {
        var errors = strategy.Validate(obj, old);
        if (errors.Count > 0)
        {
            throw ApiErrors.Invalid(Type.Kind, Type.Group, obj.Metadata.Name ?? "", errors);
        }
    }

    private async ValueTask<StoredObject?> ReadAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        try
        {
            return await store.GetAsync(key, cancellationToken).ConfigureAwait(false);
        }
        catch (StoreException e)
        {
            throw StoreErrors.ToApi(e, Type);
        }
    }

    private T Decode(StoredObject stored)
    {
        var obj = stored.Decode<T>(ResourceJson.Options);
        var metadata = (obj.Metadata ?? new ObjectMeta()) with { ResourceVersion = Format(stored.ResourceVersion) };
        return strategy.Decorate(strategy.WithMetadata(obj, metadata));
    }

    private T Bookmark(long version, bool initialEventsEnd)
    {
        var metadata = new JsonObject { ["resourceVersion"] = Format(version) };
        if (initialEventsEnd)
        {
            metadata["annotations"] = new JsonObject { [InitialEventsEndAnnotation] = "true" };
        }
        return ResourceJson.FromNode<T>(new JsonObject { ["metadata"] = metadata });
    }

    private string SelfLink(string? ns, string name)
    {
        var root = string.IsNullOrEmpty(Type.Group) ? $"/api/{Type.Version}" : $"/apis/{Type.GroupVersion}";
        return ns is null ? $"{root}/{Type.Resource}/{name}" : $"{root}/namespaces/{ns}/{Type.Resource}/{name}";
    }

    private static string RandomSuffix() =>
        string.Create(5, 0, (span, _) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = GenerateNameAlphabet[Random.Shared.Next(GenerateNameAlphabet.Length)];
            }
        });

    private static string Format(long version) => version.ToString(CultureInfo.InvariantCulture);

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
