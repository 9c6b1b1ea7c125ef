using System.Text;
using System.Text.Json.Nodes;
using ImageStreams.Model.Meta;

namespace ImageStreams.Server.Api.Content;

/// <summary>
/// Reads the Kubernetes protobuf encoding of the core objects kubectl sends that way (<c>kubectl create namespace</c>,
/// <c>kubectl create secret</c>, <c>kubectl auth can-i</c>): the <c>k8s\0</c> envelope (runtime.Unknown) around a Namespace, a Secret or a SelfSubjectAccessReview, turned into
/// the same JSON a JSON client would send. Server-owned and unused fields are skipped.
/// </summary>
internal static class KubernetesProtobuf
{
    public const string MediaType = "application/vnd.kubernetes.protobuf";

    private static readonly byte[] Magic = "k8s\0"u8.ToArray();

    private enum Kind
    {
        String,
        Bool,
        Message,
        StringMap,
        BytesMap,
        Strings,
    }

    private sealed record Field(string Name, Kind Kind, IReadOnlyDictionary<int, Field>? Message = null);

    private static readonly Dictionary<int, Field> ObjectMeta = new()
    {
        [1] = new("name", Kind.String),
        [2] = new("generateName", Kind.String),
        [3] = new("namespace", Kind.String),
        [6] = new("resourceVersion", Kind.String),
        [11] = new("labels", Kind.StringMap),
        [12] = new("annotations", Kind.StringMap),
    };

    // By apiVersion/kind.
    private static readonly Dictionary<string, Dictionary<int, Field>> Kinds = new(StringComparer.Ordinal)
    {
        ["v1/Namespace"] = new()
        {
            [1] = new("metadata", Kind.Message, ObjectMeta),
            [2] = new("spec", Kind.Message, new Dictionary<int, Field> { [1] = new("finalizers", Kind.Strings) }),
        },
        ["v1/Secret"] = new()
        {
            [1] = new("metadata", Kind.Message, ObjectMeta),
            [2] = new("data", Kind.BytesMap),
            [3] = new("type", Kind.String),
            [4] = new("stringData", Kind.StringMap),
            [5] = new("immutable", Kind.Bool),
        },
        // kubectl auth can-i.
        ["authorization.k8s.io/v1/SelfSubjectAccessReview"] = new()
        {
            [1] = new("metadata", Kind.Message, ObjectMeta),
            [2] = new("spec", Kind.Message, new Dictionary<int, Field>
            {
                [1] = new("resourceAttributes", Kind.Message, new Dictionary<int, Field>
                {
                    [1] = new("namespace", Kind.String),
                    [2] = new("verb", Kind.String),
                    [3] = new("group", Kind.String),
                    [4] = new("version", Kind.String),
                    [5] = new("resource", Kind.String),
                    [6] = new("subresource", Kind.String),
                    [7] = new("name", Kind.String),
                }),
                [2] = new("nonResourceAttributes", Kind.Message, new Dictionary<int, Field>
                {
                    [1] = new("path", Kind.String),
                    [2] = new("verb", Kind.String),
                }),
            }),
        },
    };

    public static JsonObject Decode(byte[] body)
    {
        if (!body.AsSpan().StartsWith(Magic))
        {
            throw ApiErrors.BadRequest("invalid protobuf body: it does not start with the Kubernetes envelope (k8s\\0)");
        }
        try
        {
            var envelope = new Reader(body.AsMemory(Magic.Length));
            string apiVersion = "", kind = "";
            ReadOnlyMemory<byte> raw = default;
            while (envelope.Next(out var number, out var wire))
            {
                switch (number)
                {
                    case 1:
                        var typeMeta = new Reader(envelope.LengthDelimited());
                        while (typeMeta.Next(out var n, out var w))
                        {
                            if (n == 1) { apiVersion = typeMeta.String(); } else if (n == 2) { kind = typeMeta.String(); } else { typeMeta.Skip(w); }
                        }
                        break;
                    case 2:
                        raw = envelope.LengthDelimited();
                        break;
                    default:
                        envelope.Skip(wire);
                        break;
                }
            }
            if (!Kinds.TryGetValue($"{apiVersion}/{kind}", out var schema))
            {
                throw ApiErrors.UnsupportedMediaType($"{MediaType} for {apiVersion} {kind}; send JSON or YAML");
            }
            var obj = ReadMessage(new Reader(raw), schema);
            obj["apiVersion"] = apiVersion;
            obj["kind"] = kind;
            return obj;
        }
        catch (FormatException e)
        {
            throw ApiErrors.BadRequest($"invalid protobuf body: {e.Message}");
        }
    }

    private static JsonObject ReadMessage(Reader reader, IReadOnlyDictionary<int, Field> schema)
    {
        var obj = new JsonObject();
        while (reader.Next(out var number, out var wire))
        {
            if (!schema.TryGetValue(number, out var field))
            {
                reader.Skip(wire);
                continue;
            }
            switch (field.Kind)
            {
                case Kind.String:
                    var text = reader.String();
                    if (text.Length > 0)
                    {
                        obj[field.Name] = text;
                    }
                    break;
                case Kind.Bool:
                    obj[field.Name] = reader.Varint() != 0;
                    break;
                case Kind.Message:
                    obj[field.Name] = ReadMessage(new Reader(reader.LengthDelimited()), field.Message!);
                    break;
                case Kind.Strings:
                    var list = obj[field.Name] as JsonArray ?? [];
                    list.Add(reader.String());
                    obj[field.Name] = list;
                    break;
                case Kind.StringMap or Kind.BytesMap:
                    var map = obj[field.Name] as JsonObject ?? [];
                    var entry = new Reader(reader.LengthDelimited());
                    string key = "";
                    JsonNode value = "";
                    while (entry.Next(out var n, out var w))
                    {
                        if (n == 1)
                        {
                            key = entry.String();
                        }
                        else if (n == 2)
                        {
                            value = field.Kind == Kind.BytesMap ? Convert.ToBase64String(entry.LengthDelimited().Span) : entry.String();
                        }
                        else
                        {
                            entry.Skip(w);
                        }
                    }
                    map[key] = value;
                    obj[field.Name] = map;
                    break;
            }
        }
        return obj;
    }

    /// <summary>The protobuf wire format: varints and length-delimited fields, enough to walk these messages.</summary>
    private sealed class Reader(ReadOnlyMemory<byte> data)
    {
        private int _position;

        public bool Next(out int number, out int wire)
        {
            if (_position >= data.Length)
            {
                number = wire = 0;
                return false;
            }
            var tag = Varint();
            number = (int)(tag >> 3);
            wire = (int)(tag & 7);
            return true;
        }

        public ulong Varint()
        {
            ulong value = 0;
            for (var shift = 0; shift < 64; shift += 7)
            {
                if (_position >= data.Length)
                {
                    throw new FormatException("truncated varint");
                }
                var b = data.Span[_position++];
                value |= (ulong)(b & 0x7F) << shift;
                if (b < 0x80)
                {
                    return value;
                }
            }
            throw new FormatException("varint too long");
        }

        public ReadOnlyMemory<byte> LengthDelimited()
        {
            var length = Varint();
            if (length > (ulong)(data.Length - _position))
            {
                throw new FormatException("a field runs past the end of the body");
            }
            var slice = data.Slice(_position, (int)length);
            _position += (int)length;
            return slice;
        }

        public string String() => Encoding.UTF8.GetString(LengthDelimited().Span);

        public void Skip(int wire)
        {
            switch (wire)
            {
                case 0:
                    Varint();
                    break;
                case 1:
                    _position += 8;
                    break;
                case 2:
                    LengthDelimited();
                    break;
                case 5:
                    _position += 4;
                    break;
                default:
                    throw new FormatException($"unsupported wire type {wire}");
            }
            if (_position > data.Length)
            {
                throw new FormatException("a field runs past the end of the body");
            }
        }
    }
}
