using System.Text.Json.Nodes;
using ImageStreams.Model.Build;
using ImageStreams.Model.Core;
using ImageStreams.Model.Image;
using ImageStreams.Model.Meta;
using ImageStreams.Model.Serialization;

namespace ImageStreams.Server.Api.Tables;

/// <summary>What a table row carries besides its cells (the <c>includeObject</c> query parameter).</summary>
internal enum IncludeObject
{
    None,
    Metadata,
    Object,
}

/// <summary>
/// Server-side printing: objects as a meta.k8s.io Table, the columns <c>kubectl get</c> prints.
/// Image streams get oc's columns (NAME, IMAGE REPOSITORY, TAGS, UPDATED).
/// </summary>
internal sealed class TableConverter(TimeProvider time)
{
    /// <summary>How wide the TAGS column of image streams may grow before it is trimmed to "+ N more...".</summary>
    public const int TagsColumnWidth = 40;

    private sealed record Column(string Name, string Type, string Description, string Format = "", int Priority = 0);

    private static readonly Column NameColumn = new("Name", "string", "Name must be unique within a namespace.", "name");
    private static readonly Column AgeColumn = new("Age", "string", "Time since the object was created.");

    public static JsonObject PartialMetadata(JsonObject obj, string metaVersion) => new()
    {
        ["kind"] = "PartialObjectMetadata",
        ["apiVersion"] = $"meta.k8s.io/{metaVersion}",
        ["metadata"] = obj["metadata"]?.DeepClone(),
    };

    public JsonObject ToTable(ResourceType type, IEnumerable<JsonObject> objects, string? resourceVersion, IncludeObject include, string metaVersion)
    {
        var columns = Columns(type);
        var rows = new JsonArray();
        foreach (var obj in objects)
        {
            var row = new JsonObject { ["cells"] = new JsonArray(Cells(type, obj).Select(c => (JsonNode?)JsonValue.Create(c)).ToArray()) };
            switch (include)
            {
                case IncludeObject.Metadata:
                    row["object"] = PartialMetadata(obj, metaVersion);
                    break;
                case IncludeObject.Object:
                    row["object"] = obj.DeepClone();
                    break;
            }
            rows.Add(row);
        }
        var metadata = new JsonObject();
        if (resourceVersion is not null)
        {
            metadata["resourceVersion"] = resourceVersion;
        }
        return new JsonObject
        {
            ["kind"] = "Table",
            ["apiVersion"] = $"meta.k8s.io/{metaVersion}",
            ["metadata"] = metadata,
            ["columnDefinitions"] = new JsonArray(columns.Select(c => (JsonNode)new JsonObject
            {
                ["name"] = c.Name,
                ["type"] = c.Type,
                ["format"] = c.Format,
                ["description"] = c.Description,
                ["priority"] = c.Priority,
            }).ToArray()),
            ["rows"] = rows,
        };
    }

    private static IReadOnlyList<Column> Columns(ResourceType type) => type.Resource switch
    {
        "namespaces" => [NameColumn, new Column("Status", "string", "The phase of the namespace."), AgeColumn],
        "secrets" => [NameColumn, new Column("Type", "string", "The type of the secret."), new Column("Data", "string", "How many keys the secret holds."), AgeColumn],
        "imagestreams" =>
        [
            NameColumn,
            new Column("Image Repository", "string", "Where to pull the stream's images from."),
            new Column("Tags", "string", "The tags with images, most important first."),
            new Column("Updated", "string", "When a tag last moved."),
        ],
        "imagestreamtags" => [NameColumn, new Column("Image Reference", "string", "The image the tag points at."), new Column("Updated", "string", "When the tag last moved.")],
        "images" => [NameColumn, new Column("Image Reference", "string", "Where the image was found."), AgeColumn],
        "buildconfigs" =>
        [
            NameColumn,
            new Column("Type", "string", "The build strategy."),
            new Column("From", "string", "Where the sources come from."),
            new Column("Latest", "string", "The number of the latest build."),
        ],
        "builds" =>
        [
            NameColumn,
            new Column("Type", "string", "The build strategy."),
            new Column("From", "string", "Where the sources came from."),
            new Column("Status", "string", "The phase, with the reason of a failure."),
            new Column("Started", "string", "When the build started."),
            new Column("Duration", "string", "How long the build ran."),
        ],
        _ => [NameColumn, AgeColumn],
    };

    private IEnumerable<string> Cells(ResourceType type, JsonObject obj)
    {
        var name = obj["metadata"]?["name"]?.GetValue<string>() ?? "";
        var created = obj["metadata"]?["creationTimestamp"] is JsonValue c && DateTimeOffset.TryParse(c.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var when)
            ? HumanTime.ShortAge(time.GetUtcNow() - when)
            : "<unknown>";
        switch (type.Resource)
        {
            case "namespaces":
                var ns = ResourceJson.FromNode<Namespace>(obj);
                return [name, ns.Status?.Phase ?? "", created];
            case "secrets":
                var secret = ResourceJson.FromNode<Secret>(obj);
                return [name, secret.Type ?? "", (secret.Data?.Count ?? 0).ToString(System.Globalization.CultureInfo.InvariantCulture), created];
            case "imagestreams":
                return StreamCells(ResourceJson.FromNode<ImageStream>(obj));
            case "imagestreamtags":
                var istag = ResourceJson.FromNode<ImageStreamTag>(obj);
                return [name, istag.Image?.DockerImageReference ?? "", istag.Image is null ? "" : Ago(istag.Metadata.CreationTimestamp)];
            case "images":
                return [name, ResourceJson.FromNode<Image>(obj).DockerImageReference ?? "", created];
            case "buildconfigs":
                var config = ResourceJson.FromNode<BuildConfig>(obj);
                return [name, config.Spec.Strategy.Type ?? "", BuildColumns.From(config.Spec.Source, null),
                    (config.Status?.LastVersion ?? 0).ToString(System.Globalization.CultureInfo.InvariantCulture)];
            case "builds":
                var build = ResourceJson.FromNode<Build>(obj);
                return [name, build.Spec.Strategy.Type ?? "", BuildColumns.From(build.Spec.Source, build.Spec.Revision), BuildColumns.Status(build.Status),
                    build.Status.StartTimestamp is { } started ? Ago(started) : "", BuildColumns.Duration(build.Status)];
            default:
                return [name, created];
        }
    }

    private string[] StreamCells(ImageStream stream)
    {
        var tags = (stream.Status?.Tags ?? []).Where(t => t.Items.Count > 0).ToList();
        var updated = tags.Count == 0 ? "" : Ago(tags.Max(t => t.Items[0].Created));
        var repository = !string.IsNullOrEmpty(stream.Spec.DockerImageRepository) ? stream.Spec.DockerImageRepository
            : !string.IsNullOrEmpty(stream.Status?.PublicDockerImageRepository) ? stream.Status.PublicDockerImageRepository
            : stream.Status?.DockerImageRepository ?? "";
        return [stream.Metadata.Name ?? "", repository, TagsUpToWidth(TagOrdering.Prioritize(tags.Select(t => t.Tag))), updated];
    }

    /// <summary>oc's TAGS column: names joined by commas while they fit the width, then "+ N more...".</summary>
    internal static string TagsUpToWidth(IReadOnlyList<string> tags)
    {
        var width = 0;
        var taken = 0;
        for (; taken < tags.Count; taken++)
        {
            width += tags[taken].Length + (taken > 0 ? 1 : 0);
            if (width > TagsColumnWidth && taken > 0)
            {
                break;
            }
        }
        var shown = string.Join(",", tags.Take(taken));
        return taken < tags.Count ? $"{shown} + {tags.Count - taken} more..." : shown;
    }

    private string Ago(DateTimeOffset? when) => when is null ? "" : HumanTime.Relative(time.GetUtcNow() - when.Value) + " ago";
}
