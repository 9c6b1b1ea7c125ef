using System.Globalization;
using System.Text.Json.Nodes;
using ImageStreams.Model.Meta;

namespace ImageStreams.Resources.Patching;

/// <summary>JSON patch (RFC 6902): add, remove, replace, move, copy and test, addressed by JSON pointers (RFC 6901).</summary>
public static class JsonPatch
{
    public static JsonObject Apply(JsonObject target, JsonArray operations)
    {
        JsonNode document = target.DeepClone();
        for (var i = 0; i < operations.Count; i++)
        {
            if (operations[i] is not JsonObject operation)
            {
                throw Error(i, "each operation must be an object");
            }
            var op = Text(operation, "op", i);
            var path = Pointer(Text(operation, "path", i), i);
            switch (op)
            {
                case "add":
                    document = Add(document, path, Value(operation, i), i);
                    break;
                case "remove":
                    document = Remove(document, path, i, out _);
                    break;
                case "replace":
                    document = Remove(document, path, i, out _);
                    document = Add(document, path, Value(operation, i), i);
                    break;
                case "move":
                    var from = Pointer(Text(operation, "from", i), i);
                    document = Remove(document, from, i, out var moved);
                    document = Add(document, path, moved, i);
                    break;
                case "copy":
                    document = Add(document, path, Resolve(document, Pointer(Text(operation, "from", i), i), i)?.DeepClone(), i);
                    break;
                case "test":
                    if (!JsonNode.DeepEquals(Resolve(document, path, i), operation["value"]))
                    {
                        throw Error(i, $"test failed: the value at \"{operation["path"]}\" is not {operation["value"]?.ToJsonString() ?? "null"}");
                    }
                    break;
                default:
                    throw Error(i, $"unknown operation \"{op}\"");
            }
        }
        return document as JsonObject ?? throw ApiErrors.BadRequest("the JSON patch did not leave an object");
    }

    private static JsonNode Add(JsonNode document, string[] path, JsonNode? value, int index)
    {
        if (path.Length == 0)
        {
            return value ?? throw Error(index, "cannot replace the whole document with null");
        }
        var parent = Resolve(document, path[..^1], index);
        var last = path[^1];
        switch (parent)
        {
            case JsonObject obj:
                obj[last] = value;
                break;
            case JsonArray array:
                var position = last == "-" ? array.Count : ArrayIndex(last, array.Count + 1, index);
                array.Insert(position, value);
                break;
            default:
                throw Error(index, $"no object or array at \"/{string.Join('/', path[..^1])}\"");
        }
        return document;
    }

    private static JsonNode Remove(JsonNode document, string[] path, int index, out JsonNode? removed)
    {
        if (path.Length == 0)
        {
            throw Error(index, "cannot remove the whole document");
        }
        var parent = Resolve(document, path[..^1], index);
        var last = path[^1];
        switch (parent)
        {
            case JsonObject obj when obj.ContainsKey(last):
                removed = obj[last];
                obj.Remove(last);
                break;
            case JsonArray array:
                var position = ArrayIndex(last, array.Count, index);
                removed = array[position];
                array.RemoveAt(position);
                break;
            default:
                throw Error(index, $"no value at \"/{string.Join('/', path)}\"");
        }
        // A detached node can be attached elsewhere (move).
        removed = removed?.DeepClone();
        return document;
    }

    private static JsonNode? Resolve(JsonNode document, string[] path, int index)
    {
        var node = document;
        foreach (var segment in path)
        {
            node = node switch
            {
                JsonObject obj when obj.ContainsKey(segment) => obj[segment],
                JsonArray array => array[ArrayIndex(segment, array.Count, index)],
                _ => throw Error(index, $"no value at \"/{string.Join('/', path)}\""),
            };
            if (node is null && segment != path[^1])
            {
                throw Error(index, $"no value at \"/{string.Join('/', path)}\"");
            }
        }
        return node;
    }

    private static int ArrayIndex(string segment, int count, int index) =>
        int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out var position) && position < count
            ? position
            : throw Error(index, $"array index \"{segment}\" is out of range");

    private static string[] Pointer(string pointer, int index)
    {
        if (pointer.Length == 0)
        {
            return [];
        }
        if (pointer[0] != '/')
        {
            throw Error(index, $"\"{pointer}\" is not a JSON pointer (it must start with /)");
        }
        return pointer[1..].Split('/').Select(s => s.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToArray();
    }

    private static string Text(JsonObject operation, string field, int index) =>
        operation[field] is JsonValue v && v.TryGetValue<string>(out var text) ? text : throw Error(index, $"\"{field}\" is required");

    private static JsonNode? Value(JsonObject operation, int index) =>
        operation.ContainsKey("value") ? operation["value"]?.DeepClone() : throw Error(index, "\"value\" is required");

    private static ApiException Error(int index, string message) => ApiErrors.BadRequest($"JSON patch operation {index}: {message}");
}
