namespace ImageStreams.Model.Meta;

/// <summary>Every stored object: type meta plus object meta.</summary>
public interface IResource
{
    string? ApiVersion { get; }
    string? Kind { get; }
    ObjectMeta Metadata { get; }
}

/// <summary>A resource with a status that is written through its own path (the status subresource).</summary>
public interface IHasStatus
{
}

/// <summary>A list of resources: ImageStreamList, NamespaceList and so on.</summary>
public sealed record ResourceList<T>
{
    public string? ApiVersion { get; init; }
    public string? Kind { get; init; }
    public ListMeta Metadata { get; init; } = new();
    public IReadOnlyList<T> Items { get; init; } = [];
}

/// <summary>One event of a watch stream.</summary>
public sealed record WatchEvent<T>(string Type, T Object)
{
    public const string Added = "ADDED";
    public const string Modified = "MODIFIED";
    public const string Deleted = "DELETED";
    public const string Bookmark = "BOOKMARK";
    public const string Error = "ERROR";
}
