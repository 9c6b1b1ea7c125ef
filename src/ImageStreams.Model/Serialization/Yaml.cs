using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace ImageStreams.Model.Serialization;

/// <summary>
/// YAML in and out of the JSON tree every resource is decoded from. Plain scalars get YAML 1.2 core types
/// (null, bool, int, float); quoted ones stay strings, so <c>resourceVersion: "55223044"</c> is kept a string.
/// </summary>
public static class Yaml
{
    /// <summary>Deeper nesting is refused, as JSON bodies are refused beyond the same depth.</summary>
    public const int MaxDepth = 64;

    /// <summary>Nodes that aliases may add to one stream in all; more is an alias bomb ("billion laughs"), refused.</summary>
    public const int MaxAliasNodes = 100_000;

    /// <summary>
    /// Parses every document of a YAML (or JSON) stream; empty documents are skipped. The tree is built from the parser's
    /// events without recursion, so no input can exhaust the stack; nesting beyond <see cref="MaxDepth"/> and aliases that
    /// expand to more than <see cref="MaxAliasNodes"/> nodes are format errors.
    /// </summary>
    /// <exception cref="FormatException">The text is not YAML, or breaks a limit; the message says where.</exception>
    public static IReadOnlyList<JsonNode> ParseDocuments(string text)
    {
        var parser = new Parser(new StringReader(text));
        var documents = new List<JsonNode>();
        var aliasBudget = MaxAliasNodes;
        try
        {
            parser.Consume<StreamStart>();
            while (!parser.Accept<StreamEnd>(out _))
            {
                parser.Consume<DocumentStart>();
                if (ReadDocument(parser, ref aliasBudget) is { } document)
                {
                    documents.Add(document);
                }
                parser.Consume<DocumentEnd>();
            }
        }
        catch (YamlException e)
        {
            throw new FormatException($"invalid YAML at line {e.Start.Line}, column {e.Start.Column}: {Innermost(e).Message}", e);
        }
        catch (InvalidOperationException e)
        {
            throw new FormatException($"invalid YAML at line 1, column 1: {e.Message}", e);
        }
        return documents;
    }

    private static JsonNode? ReadDocument(IParser parser, ref int aliasBudget)
    {
        var anchors = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        var open = new Stack<Container>();
        while (true)
        {
            var current = parser.Current ?? throw new FormatException("invalid YAML: the document ends too early");
            parser.MoveNext();
            JsonNode? value;
            switch (current)
            {
                case MappingStart mapping:
                    open.Push(Open(new JsonObject(), mapping.Anchor, mapping.Start, open));
                    continue;
                case SequenceStart sequence:
                    open.Push(Open(new JsonArray(), sequence.Anchor, sequence.Start, open));
                    continue;
                case MappingEnd or SequenceEnd:
                    var closed = open.Pop();
                    value = closed.Node;
                    Remember(anchors, closed.Anchor, value);
                    break;
                case Scalar scalar when open.TryPeek(out var top) && top is { Node: JsonObject, Key: null }:
                    top.Key = scalar.Value;
                    top.KeyStart = scalar.Start;
                    continue;
                case Scalar scalar:
                    value = Scalar(scalar);
                    Remember(anchors, scalar.Anchor, value);
                    break;
                case AnchorAlias alias:
                    if (!anchors.TryGetValue(alias.Value.Value, out var anchored))
                    {
                        throw new FormatException($"invalid YAML at line {alias.Start.Line}: unknown alias \"{alias.Value.Value}\"");
                    }
                    aliasBudget -= CountNodes(anchored, aliasBudget + 1);
                    if (aliasBudget < 0)
                    {
                        throw new FormatException($"invalid YAML at line {alias.Start.Line}: aliases expand to more than {MaxAliasNodes} nodes");
                    }
                    if (open.Count + Depth(anchored) > MaxDepth)
                    {
                        throw new FormatException($"invalid YAML at line {alias.Start.Line}: nested deeper than {MaxDepth} levels");
                    }
                    value = anchored?.DeepClone();
                    break;
                default:
                    throw new FormatException($"invalid YAML at line {current.Start.Line}: unexpected {current.GetType().Name}");
            }
            if (!open.TryPeek(out var parent))
            {
                return value;
            }
            if (parent.Node is JsonArray array)
            {
                array.Add(value);
                continue;
            }
            var obj = (JsonObject)parent.Node;
            if (parent.Key is not { } key)
            {
                throw new FormatException($"invalid YAML at line {current.Start.Line}: mapping keys must be strings");
            }
            if (obj.ContainsKey(key))
            {
                throw new FormatException($"invalid YAML at line {parent.KeyStart.Line}: duplicate key \"{key}\"");
            }
            obj[key] = value;
            parent.Key = null;
        }
    }

    private static Container Open(JsonNode node, AnchorName anchor, Mark start, Stack<Container> open)
    {
        if (open.TryPeek(out var parent) && parent is { Node: JsonObject, Key: null })
        {
            throw new FormatException($"invalid YAML at line {start.Line}: mapping keys must be strings");
        }
        if (open.Count >= MaxDepth)
        {
            throw new FormatException($"invalid YAML at line {start.Line}: nested deeper than {MaxDepth} levels");
        }
        return new Container(node, anchor.IsEmpty ? null : anchor.Value);
    }

    private static void Remember(Dictionary<string, JsonNode?> anchors, AnchorName anchor, JsonNode? value)
    {
        if (!anchor.IsEmpty)
        {
            anchors[anchor.Value] = value;
        }
    }

    /// <summary>The nodes under (and including) <paramref name="node"/>, counted up to <paramref name="limit"/>.</summary>
    private static int CountNodes(JsonNode? node, int limit)
    {
        var count = 0;
        var pending = new Stack<JsonNode?>();
        pending.Push(node);
        while (pending.Count > 0 && count < limit)
        {
            count++;
            switch (pending.Pop())
            {
                case JsonObject obj:
                    foreach (var (_, child) in obj)
                    {
                        pending.Push(child);
                    }
                    break;
                case JsonArray array:
                    foreach (var child in array)
                    {
                        pending.Push(child);
                    }
                    break;
            }
        }
        return count;
    }

    private static int Depth(JsonNode? node)
    {
        var deepest = 0;
        var pending = new Stack<(JsonNode? Node, int Depth)>();
        pending.Push((node, 0));
        while (pending.Count > 0)
        {
            var (current, depth) = pending.Pop();
            IEnumerable<JsonNode?> children = current switch
            {
                JsonObject obj => obj.Select(p => p.Value),
                JsonArray array => array,
                _ => [],
            };
            if (current is JsonObject or JsonArray)
            {
                deepest = Math.Max(deepest, depth + 1);
                foreach (var child in children)
                {
                    pending.Push((child, depth + 1));
                }
            }
        }
        return deepest;
    }

    /// <summary>A mapping or sequence being read, with the key waiting for its value.</summary>
    private sealed class Container(JsonNode node, string? anchor)
    {
        public JsonNode Node { get; } = node;
        public string? Anchor { get; } = anchor;
        public string? Key { get; set; }
        public Mark KeyStart { get; set; }
    }

    /// <summary>Renders a JSON tree as block YAML, the way kubectl prints objects.</summary>
    public static string Emit(JsonNode? node)
    {
        var builder = new StringBuilder();
        using var writer = new StringWriter(builder, CultureInfo.InvariantCulture);
        var emitter = new Emitter(writer);
        emitter.Emit(new StreamStart());
        emitter.Emit(new DocumentStart(null, null, true));
        EmitNode(emitter, node);
        emitter.Emit(new DocumentEnd(true));
        emitter.Emit(new StreamEnd());
        return builder.ToString();
    }

    private static Exception Innermost(Exception e) => e.InnerException is null ? e : Innermost(e.InnerException);

    private static JsonNode? Scalar(Scalar scalar) =>
        scalar.Style is ScalarStyle.Plain or ScalarStyle.Any ? PlainScalar(scalar.Value) : JsonValue.Create(scalar.Value);

    private static JsonNode? PlainScalar(string value)
    {
        switch (value)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return null;
            case "true" or "True" or "TRUE":
                return JsonValue.Create(true);
            case "false" or "False" or "FALSE":
                return JsonValue.Create(false);
        }
        if (long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return JsonValue.Create(integer);
        }
        if (value.Length > 0 && (char.IsDigit(value[0]) || value[0] is '-' or '+' or '.') &&
            double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var real) && double.IsFinite(real))
        {
            return JsonValue.Create(real);
        }
        return JsonValue.Create(value);
    }

    private static void EmitNode(IEmitter emitter, JsonNode? node)
    {
        switch (node)
        {
            case null:
                emitter.Emit(new Scalar(null, null, "null", ScalarStyle.Plain, true, false));
                break;
            case JsonObject obj:
                emitter.Emit(new MappingStart(null, null, false, obj.Count == 0 ? MappingStyle.Flow : MappingStyle.Block));
                foreach (var (key, value) in obj)
                {
                    EmitString(emitter, key);
                    EmitNode(emitter, value);
                }
                emitter.Emit(new MappingEnd());
                break;
            case JsonArray array:
                emitter.Emit(new SequenceStart(null, null, false, array.Count == 0 ? SequenceStyle.Flow : SequenceStyle.Block));
                foreach (var item in array)
                {
                    EmitNode(emitter, item);
                }
                emitter.Emit(new SequenceEnd());
                break;
            case JsonValue value:
                switch (value.GetValueKind())
                {
                    case JsonValueKind.String:
                        EmitString(emitter, value.GetValue<string>());
                        break;
                    case JsonValueKind.True:
                        emitter.Emit(new Scalar("true"));
                        break;
                    case JsonValueKind.False:
                        emitter.Emit(new Scalar("false"));
                        break;
                    default:
                        emitter.Emit(new Scalar(value.ToJsonString()));
                        break;
                }
                break;
        }
    }

    private static void EmitString(IEmitter emitter, string text)
    {
        // A string that would read back as another type (a number, bool or null) must be quoted.
        var needsQuotes = text.Length == 0 || PlainScalar(text) is not JsonValue v ||
                          v.GetValueKind() != JsonValueKind.String;
        if (text.Contains('\n', StringComparison.Ordinal))
        {
            emitter.Emit(new Scalar(null, null, text, ScalarStyle.Literal, true, false));
        }
        else if (needsQuotes)
        {
            emitter.Emit(new Scalar(null, null, text, ScalarStyle.DoubleQuoted, false, true));
        }
        else
        {
            emitter.Emit(new Scalar(null, null, text, ScalarStyle.Any, true, true));
        }
    }
}
