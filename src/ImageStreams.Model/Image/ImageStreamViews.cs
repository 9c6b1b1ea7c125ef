using System.Text.Json.Serialization;
using ImageStreams.Model.Meta;

namespace ImageStreams.Model.Image;

/// <summary>One tag of a stream, <c>&lt;stream&gt;:&lt;tag&gt;</c>, with the image it resolves to.</summary>
public sealed record ImageStreamTag : IResource
{
    public const string KindName = "ImageStreamTag";

    public string? ApiVersion { get; init; } = ImageApi.GroupVersion;
    public string? Kind { get; init; } = KindName;
    public ObjectMeta Metadata { get; init; } = new();
    public TagReference? Tag { get; init; }
    public long Generation { get; init; }
    public ImageLookupPolicy LookupPolicy { get; init; } = new();
    public IReadOnlyList<TagEventCondition>? Conditions { get; init; }
    public Image? Image { get; init; }
}

/// <summary>An image found in a stream's history, <c>&lt;stream&gt;@&lt;digest&gt;</c> (read only).</summary>
public sealed record ImageStreamImage : IResource
{
    public const string KindName = "ImageStreamImage";

    public string? ApiVersion { get; init; } = ImageApi.GroupVersion;
    public string? Kind { get; init; } = KindName;
    public ObjectMeta Metadata { get; init; } = new();
    public Image Image { get; init; } = new();
}

/// <summary>What the integrated registry writes on a push: an image and the tag it lands on.</summary>
public sealed record ImageStreamMapping : IResource
{
    public const string KindName = "ImageStreamMapping";

    public string? ApiVersion { get; init; } = ImageApi.GroupVersion;
    public string? Kind { get; init; } = KindName;
    public ObjectMeta Metadata { get; init; } = new();
    public Image Image { get; init; } = new();
    public string Tag { get; init; } = "";
}

/// <summary>A request to import images from a registry into a stream (create only).</summary>
public sealed record ImageStreamImport : IResource
{
    public const string KindName = "ImageStreamImport";

    public string? ApiVersion { get; init; } = ImageApi.GroupVersion;
    public string? Kind { get; init; } = KindName;
    public ObjectMeta Metadata { get; init; } = new();
    public ImageStreamImportSpec Spec { get; init; } = new();
    public ImageStreamImportStatus? Status { get; init; }
}

public sealed record ImageStreamImportSpec
{
    /// <summary>False makes the request a dry run: nothing is written.</summary>
    [JsonPropertyName("import")]
    public bool Import { get; init; }
    public RepositoryImportSpec? Repository { get; init; }
    public IReadOnlyList<ImageImportSpec>? Images { get; init; }
}

public sealed record RepositoryImportSpec
{
    public ObjectReference From { get; init; } = new();
    public TagImportPolicy ImportPolicy { get; init; } = new();
    public TagReferencePolicy ReferencePolicy { get; init; } = new();
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool IncludeManifest { get; init; }
}

public sealed record ImageImportSpec
{
    public ObjectReference From { get; init; } = new();
    public LocalObjectReference? To { get; init; }
    public TagImportPolicy ImportPolicy { get; init; } = new();
    public TagReferencePolicy ReferencePolicy { get; init; } = new();
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool IncludeManifest { get; init; }
}

public sealed record ImageStreamImportStatus
{
    [JsonPropertyName("import")]
    public ImageStream? Import { get; init; }
    public RepositoryImportStatus? Repository { get; init; }
    public IReadOnlyList<ImageImportStatus>? Images { get; init; }
}

public sealed record RepositoryImportStatus
{
    public Status Status { get; init; } = new();
    public IReadOnlyList<ImageImportStatus>? Images { get; init; }
    public IReadOnlyList<string>? AdditionalTags { get; init; }
}

public sealed record ImageImportStatus
{
    public Status Status { get; init; } = new();
    public Image? Image { get; init; }
    public string? Tag { get; init; }
    public IReadOnlyList<Image>? Manifests { get; init; }
}
