using ImageStreams.Model.Meta;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace ImageStreams.Server.Api.Content;

internal enum ResponseFormat
{
    Json,
    Yaml,
    /// <summary>meta.k8s.io Table: what <c>kubectl get</c> prints.</summary>
    Table,
    /// <summary>meta.k8s.io PartialObjectMetadata(List): metadata only.</summary>
    Metadata,
}

/// <summary>The response form a client asked for; <paramref name="MetaVersion"/> is v1 or v1beta1 for Table and metadata forms.</summary>
internal sealed record ResponseKind(ResponseFormat Format, string MetaVersion = "v1")
{
    public static ResponseKind Json { get; } = new(ResponseFormat.Json);

    /// <summary>Picks the first form in the Accept header that this server produces, as the Kubernetes API server does.</summary>
    public static ResponseKind Negotiate(HttpRequest request)
    {
        var accept = request.Headers.Accept.ToString();
        if (string.IsNullOrWhiteSpace(accept))
        {
            return Json;
        }
        if (!MediaTypeHeaderValue.TryParseList(accept.Split(','), out var ranges))
        {
            throw NotAcceptable();
        }
        foreach (var range in ranges)
        {
            var type = range.MediaType.Value?.ToLowerInvariant();
            var parameters = range.Parameters.ToDictionary(p => p.Name.Value!.ToLowerInvariant(), p => p.Value.Value ?? "", StringComparer.Ordinal);
            parameters.TryGetValue("as", out var shape);
            parameters.TryGetValue("g", out var group);
            parameters.TryGetValue("v", out var version);
            switch (type)
            {
                case MediaTypes.Json or "*/*" or "application/*":
                    if (string.IsNullOrEmpty(shape))
                    {
                        return Json;
                    }
                    if (group == "meta.k8s.io" && version is "v1" or "v1beta1")
                    {
                        switch (shape)
                        {
                            case "Table":
                                return new ResponseKind(ResponseFormat.Table, version);
                            case "PartialObjectMetadata" or "PartialObjectMetadataList":
                                return new ResponseKind(ResponseFormat.Metadata, version);
                        }
                    }
                    break;
                case MediaTypes.Yaml when string.IsNullOrEmpty(shape):
                    return new ResponseKind(ResponseFormat.Yaml);
            }
        }
        throw NotAcceptable();
    }

    private static ApiException NotAcceptable() => ApiErrors.NotAcceptable(
        "only the following media types are accepted: application/json, application/yaml, application/json;as=Table;v=v1;g=meta.k8s.io");
}
