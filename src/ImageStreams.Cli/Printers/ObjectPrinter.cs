using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using ImageStreams.Model.Meta;
using ImageStreams.Model.Serialization;

namespace ImageStreams.Cli.Printers;

/// <summary>The -o values.</summary>
internal static class OutputFormats
{
    public const string Yaml = "yaml";
    public const string Json = "json";
    public const string Name = "name";
    public const string Wide = "wide";

    public static bool IsDocument(string? format) => format is Yaml or Json;
}

/// <summary>Objects as kubectl prints them with -o yaml, -o json and -o name.</summary>
internal static class ObjectPrinter
{
    // kubectl indents JSON by four spaces and does not escape HTML characters.
    private static readonly JsonSerializerOptions JsonOutput = new()
    {
        WriteIndented = true,
        IndentSize = 4,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Writes one object (or list) as a YAML or JSON document, keys sorted as kubectl sorts them.</summary>
    public static void Write(TextWriter output, JsonNode node, string format)
    {
        var sorted = SortKeys(node);
        if (format == OutputFormats.Json)
        {
            output.Write(sorted.ToJsonString(JsonOutput));
            output.Write('\n');
        }
        else
        {
            output.Write(Yaml.Emit(sorted));
        }
    }

    /// <summary>-o yaml|json after a change: the objects as the server returned them, a List when there are several.</summary>
    public static void WriteResults(TextWriter output, string? format, IReadOnlyList<(ResourceType Type, JsonObject Object)> results)
    {
        if (!OutputFormats.IsDocument(format) || results.Count == 0)
        {
            return;
        }
        Write(output, results.Count == 1 ? WithTypeMeta(results[0].Type, results[0].Object) : List(results), format!);
    }

    /// <summary>A <c>kind: List</c> of the items, each with its apiVersion and kind filled in.</summary>
    public static JsonObject List(IEnumerable<(ResourceType Type, JsonObject Object)> items) => new()
    {
        ["apiVersion"] = "v1",
        ["items"] = new JsonArray(items.Select(i => (JsonNode)WithTypeMeta(i.Type, i.Object)).ToArray()),
        ["kind"] = "List",
        ["metadata"] = new JsonObject { ["resourceVersion"] = "" },
    };

    /// <summary>List items come without apiVersion and kind; printed alone they need them.</summary>
    public static JsonObject WithTypeMeta(ResourceType type, JsonObject obj)
    {
        var copy = obj.DeepClone().AsObject();
        if (copy["apiVersion"] is null || copy["kind"] is null)
        {
            copy["apiVersion"] = type.GroupVersion;
            copy["kind"] = type.Kind;
        }
        return copy;
    }

    /// <summary>"imagestream.image.openshift.io", or "namespace" for the core group.</summary>
    public static string KindName(ResourceType type) =>
        string.IsNullOrEmpty(type.Group) ? type.Kind.ToLowerInvariant() : $"{type.Kind.ToLowerInvariant()}.{type.Group}";

    /// <summary>-o name: "imagestream.image.openshift.io/rhel7".</summary>
    public static string QualifiedName(ResourceType type, string? name) => $"{KindName(type)}/{name}";

    public static string? NameOf(JsonObject obj) => (obj["metadata"] as JsonObject)?["name"]?.GetValue<string>();

    public static string? NamespaceOf(JsonObject obj) => (obj["metadata"] as JsonObject)?["namespace"]?.GetValue<string>();

    public static T As<T>(JsonObject obj)
    {
        try
        {
            return ResourceJson.FromNode<T>(obj);
        }
        catch (JsonException e)
        {
            throw new CliException($"the server sent a {typeof(T).Name} this client cannot read: {e.Message}", e);
        }
    }

    private static JsonNode SortKeys(JsonNode node) => node switch
    {
        JsonObject obj => new JsonObject(obj
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => KeyValuePair.Create(p.Key, p.Value is null ? null : SortKeys(p.Value)))),
        JsonArray array => new JsonArray(array.Select(i => i is null ? null : SortKeys(i)).ToArray()),
        _ => node.DeepClone(),
    };
}
