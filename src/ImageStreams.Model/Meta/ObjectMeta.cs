using System.Text.Json.Serialization;

namespace ImageStreams.Model.Meta;

/// <summary>Kubernetes object metadata (metav1.ObjectMeta), the fields this server keeps.</summary>
public sealed record ObjectMeta
{
    public string? Name { get; init; }
    public string? GenerateName { get; init; }
    public string? Namespace { get; init; }
    public string? SelfLink { get; init; }
    public string? Uid { get; init; }
    public string? ResourceVersion { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long Generation { get; init; }
    public DateTimeOffset? CreationTimestamp { get; init; }
    public DateTimeOffset? DeletionTimestamp { get; init; }
    public IReadOnlyDictionary<string, string>? Labels { get; init; }
    public IReadOnlyDictionary<string, string>? Annotations { get; init; }

    public string? Annotation(string key) =>
        Annotations is not null && Annotations.TryGetValue(key, out var value) ? value : null;

    public ObjectMeta WithAnnotation(string key, string? value)
    {
        var copy = Annotations is null ? new Dictionary<string, string>() : new Dictionary<string, string>(Annotations);
        if (value is null)
        {
            copy.Remove(key);
        }
        else
        {
            copy[key] = value;
        }
        return this with { Annotations = copy.Count == 0 ? null : copy };
    }
}

/// <summary>metav1.ListMeta.</summary>
public sealed record ListMeta
{
    public string? ResourceVersion { get; init; }
    public string? Continue { get; init; }
    public string? SelfLink { get; init; }
}

/// <summary>A reference to another object (corev1.ObjectReference, the fields image streams use).</summary>
public sealed record ObjectReference
{
    public string? Kind { get; init; }
    public string? Namespace { get; init; }
    public string? Name { get; init; }
    public string? Uid { get; init; }
    public string? ApiVersion { get; init; }
    public string? ResourceVersion { get; init; }
}

/// <summary>corev1.LocalObjectReference.</summary>
public sealed record LocalObjectReference
{
    public string? Name { get; init; }
}
