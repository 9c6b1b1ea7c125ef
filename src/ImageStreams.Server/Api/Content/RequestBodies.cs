using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ImageStreams.Model.Meta;
using ImageStreams.Model.Serialization;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace ImageStreams.Server.Api.Content;

/// <summary>Reads request bodies within the size limit and decodes them from JSON or YAML, with the parser's message on failure.</summary>
internal static class RequestBodies
{
    private static readonly JsonNodeOptions NodeOptions = new() { PropertyNameCaseInsensitive = false };
    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        // Two values for one field leave it unclear which one counts: refused, as the YAML reader refuses duplicate keys.
        AllowDuplicateProperties = false,
    };

    /// <summary>The media type of the body, lower case without parameters; JSON when the client sent none.</summary>
    public static string MediaType(HttpRequest request) =>
        MediaTypeHeaderValue.TryParse(request.ContentType, out var parsed) && parsed.MediaType.HasValue
            ? parsed.MediaType.Value!.ToLowerInvariant()
            : MediaTypes.Json;

    public static async Task<byte[]> ReadAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit)
        {
            throw TooLarge(limit);
        }
        var buffer = new ArrayBufferWriter<byte>();
        var chunk = new byte[16 * 1024];
        while (true)
        {
            var read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return buffer.WrittenSpan.ToArray();
            }
            if (buffer.WrittenCount + read > limit)
            {
                throw TooLarge(limit);
            }
            buffer.Write(chunk.AsSpan(0, read));
        }
    }

    /// <summary>Decodes one JSON object, or one YAML document holding an object.</summary>
    public static JsonObject ParseObject(byte[] body, string mediaType)
    {
        var node = MediaTypes.IsYaml(mediaType) ? ParseYaml(body) : ParseJson(body);
        return node as JsonObject ?? throw ApiErrors.BadRequest($"the body must be an object, not {Describe(node)}");
    }

    public static JsonNode? ParseJson(byte[] body)
    {
        if (body.Length == 0)
        {
            throw ApiErrors.BadRequest("the request body is empty");
        }
        try
        {
            return JsonNode.Parse(body, NodeOptions, DocumentOptions);
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line ? $" at line {line + 1}, column {e.BytePositionInLine + 1}" : "";
            throw ApiErrors.BadRequest($"invalid JSON{where}: {Message(e)}");
        }
    }

    private static JsonNode ParseYaml(byte[] body)
    {
        IReadOnlyList<JsonNode> documents;
        try
        {
            documents = Yaml.ParseDocuments(Encoding.UTF8.GetString(body));
        }
        catch (FormatException e)
        {
            throw ApiErrors.BadRequest(e.Message);
        }
        return documents.Count switch
        {
            0 => throw ApiErrors.BadRequest("the request body is empty"),
            1 => documents[0],
            _ => throw ApiErrors.BadRequest($"the body holds {documents.Count} YAML documents; send one object per request"),
        };
    }

    private static string Describe(JsonNode? node) => node switch
    {
        null => "null",
        JsonArray => "an array",
        _ => $"a {node.GetValueKind().ToString().ToLowerInvariant()}",
    };

    /// <summary>The parser's message without its internal position suffix (given separately).</summary>
    private static string Message(JsonException e)
    {
        var message = e.Message;
        var cut = message.IndexOf(" Path: ", StringComparison.Ordinal);
        if (cut < 0)
        {
            cut = message.IndexOf(" LineNumber: ", StringComparison.Ordinal);
        }
        return (cut > 0 ? message[..cut] : message).TrimEnd('.', ' ');
    }

    private static ApiException TooLarge(long limit) => ApiErrors.TooLarge($"Request entity too large: limit is {limit} bytes");
}
