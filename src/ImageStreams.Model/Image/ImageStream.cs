using System.Text.Json.Serialization;
using ImageStreams.Model.Meta;

namespace ImageStreams.Model.Image;

/// <summary>A virtual repository of tags that point at images in real registries (image.openshift.io/v1).</summary>
public sealed record ImageStream : IResource, IHasStatus
{
    public const string KindName = "ImageStream";

    public string? ApiVersion { get; init; } = ImageApi.GroupVersion;
    public string? Kind { get; init; } = KindName;
    public ObjectMeta Metadata { get; init; } = new();
    public ImageStreamSpec Spec { get; init; } = new();
    public ImageStreamStatus? Status { get; init; }

    public TagReference? SpecTag(string name) => Spec.Tags?.FirstOrDefault(t => t.Name == name);

    public NamedTagEventList? StatusTag(string name) => Status?.Tags?.FirstOrDefault(t => t.Tag == name);
}

public sealed record ImageStreamSpec
{
    public ImageLookupPolicy LookupPolicy { get; init; } = new();
    /// <summary>Deprecated: a whole remote repository to import.</summary>
    public string? DockerImageRepository { get; init; }
    public IReadOnlyList<TagReference>? Tags { get; init; }
}

public sealed record ImageLookupPolicy
{
    [JsonPropertyName("local")]
    public bool Local { get; init; }
}

/// <summary>A spec tag: where a tag's images come from and how they are imported and referenced.</summary>
public sealed record TagReference
{
    public string Name { get; init; } = "";
    public IReadOnlyDictionary<string, string>? Annotations { get; init; }
    public ObjectReference? From { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Reference { get; init; }
    /// <summary>The stream generation that last changed this tag; a user may set only 0 (re-import).</summary>
    public long? Generation { get; init; }
    public TagImportPolicy ImportPolicy { get; init; } = new();
    public TagReferencePolicy ReferencePolicy { get; init; } = new();
}

public sealed record TagImportPolicy
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Insecure { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Scheduled { get; init; }
    /// <summary><see cref="ImportModes.Legacy"/> or <see cref="ImportModes.PreserveOriginal"/>.</summary>
    public string? ImportMode { get; init; }
}

public static class ImportModes
{
    public const string Legacy = "Legacy";
    public const string PreserveOriginal = "PreserveOriginal";
}

public sealed record TagReferencePolicy
{
    /// <summary><see cref="ReferencePolicyTypes.Source"/> (the default) or <see cref="ReferencePolicyTypes.Local"/>.</summary>
    public string Type { get; init; } = ReferencePolicyTypes.Source;
}

public static class ReferencePolicyTypes
{
    public const string Source = "Source";
    public const string Local = "Local";
}

/// <summary>The kinds a spec tag's <c>from</c> may name.</summary>
public static class SourceKinds
{
    public const string DockerImage = "DockerImage";
    public const string ImageStreamTag = "ImageStreamTag";
    public const string ImageStreamImage = "ImageStreamImage";
}

public sealed record ImageStreamStatus
{
    /// <summary>Computed on every read: <c>&lt;registry host:port&gt;/&lt;namespace&gt;/&lt;name&gt;</c>.</summary>
    public string? DockerImageRepository { get; init; }
    public string? PublicDockerImageRepository { get; init; }
    public IReadOnlyList<NamedTagEventList>? Tags { get; init; }
}

/// <summary>The history of one tag, newest first.</summary>
public sealed record NamedTagEventList
{
    public string Tag { get; init; } = "";
    public IReadOnlyList<TagEvent> Items { get; init; } = [];
    public IReadOnlyList<TagEventCondition>? Conditions { get; init; }
}

public sealed record TagEvent
{
    public DateTimeOffset Created { get; init; }
    public string DockerImageReference { get; init; } = "";
    /// <summary>The image name: the manifest digest.</summary>
    public string Image { get; init; } = "";
    public long Generation { get; init; }
}

public sealed record TagEventCondition
{
    public string Type { get; init; } = TagEventConditionTypes.ImportSuccess;
    public string Status { get; init; } = "False";
    public DateTimeOffset? LastTransitionTime { get; init; }
    public string? Reason { get; init; }
    public string? Message { get; init; }
    public long Generation { get; init; }
}

public static class TagEventConditionTypes
{
    public const string ImportSuccess = "ImportSuccess";
}
