namespace ImageStreams.Store.Watching;

/// <summary>Which changes a watch wants; null matches every resource or every namespace.</summary>
internal readonly record struct WatchFilter(string? Resource, string? Namespace)
{
    public bool Matches(ObjectKey key) =>
        (Resource is null || Resource == key.Resource) && (Namespace is null || Namespace == key.Namespace);
}
