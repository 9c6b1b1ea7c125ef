namespace ImageStreams.Store.Watching;

/// <summary>A change as the event log keeps it. The object stays serialized so that every watcher parses its own copy.</summary>
internal sealed record LoggedEvent(long ResourceVersion, StoreEventType Type, ObjectKey Key, string Json)
{
    public StoreEvent ToStoreEvent() => new(Type, new StoredObject(Key, ResourceVersion, ObjectJson.Parse(Json)));
}
