using System.Text.Json.Nodes;
using ImageStreams.Model.Meta;
using ImageStreams.Model.Serialization;
using Microsoft.AspNetCore.Http;

namespace ImageStreams.Server.Api.Content;

/// <summary>Writes API bodies: JSON by default, YAML when asked for.</summary>
internal static class Responses
{
    public static async Task WriteAsync(HttpContext context, int statusCode, JsonNode body, ResponseFormat format = ResponseFormat.Json)
    {
        context.Response.StatusCode = statusCode;
        if (format == ResponseFormat.Yaml)
        {
            context.Response.ContentType = MediaTypes.Yaml;
            await context.Response.WriteAsync(Yaml.Emit(body), context.RequestAborted).ConfigureAwait(false);
            return;
        }
        context.Response.ContentType = MediaTypes.Json;
        await context.Response.WriteAsync(body.ToJsonString(ResourceJson.Options), context.RequestAborted).ConfigureAwait(false);
    }

    public static Task WriteStatusAsync(HttpContext context, Status status) =>
        WriteAsync(context, status.Code, ResourceJson.ToNode(status));
}
