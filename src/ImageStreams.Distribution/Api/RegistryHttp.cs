using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ImageStreams.Distribution.Errors;
using ImageStreams.Distribution.Repositories;
using ImageStreams.Registry.References;
using Microsoft.AspNetCore.Http;

namespace ImageStreams.Distribution.Api;

/// <summary>Reading and writing the small parts of registry requests that every endpoint shares.</summary>
internal static class RegistryHttp
{
    public const string DigestHeader = "Docker-Content-Digest";

    private static readonly JsonSerializerOptions Compact = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static RepositoryName ParseName(string name) =>
        RepositoryName.TryParse(name, out var repository, out var error) ? repository : throw DistributionErrors.NameInvalid(name, error);

    public static Digest ParseDigest(string? value) =>
        Digest.TryParse(value, out var digest, out var error) ? digest : throw DistributionErrors.DigestInvalid(error);

    /// <summary>A JSON body with its length; <paramref name="body"/> null answers headers only (HEAD).</summary>
    public static async Task WriteJsonAsync(HttpContext context, int status, JsonNode? body, string contentType = "application/json")
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        if (body is null)
        {
            return;
        }
        var bytes = JsonSerializer.SerializeToUtf8Bytes(body, Compact);
        context.Response.ContentLength = bytes.Length;
        await context.Response.Body.WriteAsync(bytes, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>An answer with no body (201, 202, 204), such as the steps of an upload.</summary>
    public static void Empty(HttpContext context, int status)
    {
        context.Response.StatusCode = status;
        context.Response.ContentLength = 0;
    }

    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string BlobLocation(RepositoryName repository, Digest digest) => $"/v2/{repository}/blobs/{digest}";

    public static string ManifestLocation(RepositoryName repository, Digest digest) => $"/v2/{repository}/manifests/{digest}";

    public static string UploadLocation(RepositoryName repository, string id) => $"/v2/{repository}/blobs/uploads/{id}";
}
