using System.Text.Json.Nodes;
using ImageStreams.Model.Meta;
using ImageStreams.Model.Serialization;

namespace ImageStreams.Cli.Resources;

/// <summary>One object read from a file given with -f, with the type it maps to.</summary>
internal sealed record Manifest(string Source, ResourceType Type, JsonObject Object)
{
    public string? Name => (Object["metadata"] as JsonObject)?["name"]?.GetValue<string>();

    public string? Namespace => (Object["metadata"] as JsonObject)?["namespace"]?.GetValue<string>();
}

/// <summary>
/// Reads -f arguments as kubectl does: files, directories (their .yaml, .yml and .json files, in name order)
/// and "-" for standard input; YAML or JSON, several documents per file, <c>kind: List</c> expanded into its items.
/// Everything is read and checked before any request is sent, so a bad file changes nothing.
/// </summary>
internal static class ManifestReader
{
    private static readonly string[] Extensions = [".yaml", ".yml", ".json"];

    public static IReadOnlyList<Manifest> Read(IReadOnlyList<string> paths, TextReader stdin, string verb)
    {
        var manifests = new List<Manifest>();
        foreach (var path in paths)
        {
            foreach (var (source, text) in Sources(path, stdin))
            {
                manifests.AddRange(Parse(source, text));
            }
        }
        if (manifests.Count == 0)
        {
            throw new CliException($"no objects passed to {verb}");
        }
        return manifests;
    }

    public static IReadOnlyList<Manifest> Parse(string source, string text)
    {
        IReadOnlyList<JsonNode> documents;
        try
        {
            documents = Yaml.ParseDocuments(text);
        }
        catch (FormatException e)
        {
            throw new CliException($"error parsing {source}: {e.Message}", e);
        }
        var manifests = new List<Manifest>();
        for (var i = 0; i < documents.Count; i++)
        {
            var where = documents.Count == 1 ? source : $"{source} (document {i + 1})";
            if (documents[i] is not JsonObject obj)
            {
                throw new CliException($"error parsing {where}: a resource must be a mapping with apiVersion, kind and metadata");
            }
            Expand(where, obj, manifests);
        }
        return manifests;
    }

    private static void Expand(string where, JsonObject obj, List<Manifest> manifests)
    {
        var apiVersion = Text(obj["apiVersion"]);
        var kind = Text(obj["kind"]);
        var missing = new List<string>();
        if (string.IsNullOrEmpty(apiVersion))
        {
            missing.Add("apiVersion not set");
        }
        if (string.IsNullOrEmpty(kind))
        {
            missing.Add("kind not set");
        }
        if (missing.Count > 0)
        {
            throw new CliException($"error validating {where}: {string.Join(", ", missing)}");
        }
        // kind: List, and typed lists such as ImageStreamList, carry their objects in items.
        if (kind!.EndsWith("List", StringComparison.Ordinal) && obj["items"] is JsonArray items)
        {
            foreach (var item in items)
            {
                if (item is not JsonObject child)
                {
                    throw new CliException($"error parsing {where}: every item of a {kind} must be a mapping");
                }
                Expand(where, child, manifests);
            }
            return;
        }
        var type = ResourceTypes.FindByKind(apiVersion!, kind)
                   ?? throw new CliException(
                       $"resource mapping not found for name: \"{Text((obj["metadata"] as JsonObject)?["name"])}\" from {where}: no matches for kind \"{kind}\" in version \"{apiVersion}\"");
        if (obj["metadata"] is not (null or JsonObject))
        {
            throw new CliException($"error validating {where}: metadata must be a mapping");
        }
        manifests.Add(new Manifest(where, type, obj));
    }

    private static IEnumerable<(string Source, string Text)> Sources(string path, TextReader stdin)
    {
        if (path == "-")
        {
            yield return ("STDIN", stdin.ReadToEnd());
            yield break;
        }
        if (Directory.Exists(path))
        {
            var files = Directory.EnumerateFiles(path)
                .Where(f => Extensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
                .Order(StringComparer.Ordinal);
            foreach (var file in files)
            {
                yield return (file, ReadFile(file));
            }
            yield break;
        }
        if (!File.Exists(path))
        {
            throw new CliException($"the path \"{path}\" does not exist");
        }
        yield return (path, ReadFile(path));
    }

    private static string ReadFile(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"cannot read {path}: {e.Message}", e);
        }
    }

    private static string? Text(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) ? text : node?.ToJsonString();
}
