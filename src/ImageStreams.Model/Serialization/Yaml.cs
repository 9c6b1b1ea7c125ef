using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace ImageStreams.Model.Serialization;

/// <summary>
/// YAML in and out of the JSON tree every resource is decoded from. Plain scalars get YAML 1.2 core types
/// (null, bool, int, float); quoted ones stay strings, so <c>resourceVersion: "55223044"</c> is kept a string.
/// </summary>
public static class Yaml
{
    /// <summary>Parses every document of a YAML (or JSON) stream; empty documents are skipped.</summary>
    public static IReadOnlyList<JsonNode> ParseDocuments(string text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new FormatException($"invalid YAML at line {e.Start.Line}, column {e.Start.Column}: {Innermost(e).Message}", e);
        }
        catch (InvalidOperationException e)
        {
            throw new FormatException($"invalid YAML at line 1, column 1: {e.Message}", e);
        }
        var documents = new List<JsonNode>();
        foreach (var document in stream.Documents)
        {
            var node = ToJson(document.RootNode);
            if (node is not null)
            {
                documents.Add(node);
            }
        }
        return documents;
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

    private static JsonNode? ToJson(YamlNode node)
    {
        switch (node)
        {
            case YamlMappingNode mapping:
                var obj = new JsonObject();
                foreach (var (key, value) in mapping.Children)
                {
                    if (key is not YamlScalarNode scalarKey || scalarKey.Value is null)
                    {
                        throw new FormatException($"invalid YAML at line {key.Start.Line}: mapping keys must be strings");
                    }
                    if (obj.ContainsKey(scalarKey.Value))
                    {
                        throw new FormatException($"invalid YAML at line {key.Start.Line}: duplicate key \"{scalarKey.Value}\"");
                    }
                    obj[scalarKey.Value] = ToJson(value);
                }
                return obj;
            case YamlSequenceNode sequence:
                var array = new JsonArray();
                foreach (var child in sequence.Children)
                {
                    array.Add(ToJson(child));
                }
                return array;
            case YamlScalarNode scalar:
                return Scalar(scalar);
            default:
                return null;
        }
    }

    private static JsonNode? Scalar(YamlScalarNode scalar) =>
        scalar.Style is ScalarStyle.Plain or ScalarStyle.Any ? PlainScalar(scalar.Value ?? "") : JsonValue.Create(scalar.Value ?? "");

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
