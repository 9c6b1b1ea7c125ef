using System.Globalization;
using System.Text.Json.Nodes;

namespace ImageStreams.Distribution.Errors;

/// <summary>
/// The error catalogue of the registry: the codes of the OCI distribution spec ("Error Codes") with the HTTP statuses
/// clients expect, plus distribution's TAG_INVALID, UNAVAILABLE and UNKNOWN.
/// </summary>
public static class DistributionErrors
{
    public static DistributionException BlobUnknown(string digest) =>
        new("BLOB_UNKNOWN", 404, "blob unknown to registry", Digest(digest));

    public static DistributionException BlobUploadInvalid(string message) =>
        new("BLOB_UPLOAD_INVALID", 400, $"blob upload invalid: {message}");

    public static DistributionException BlobUploadUnknown(string id) =>
        new("BLOB_UPLOAD_UNKNOWN", 404, "blob upload unknown to registry", new JsonObject { ["uuid"] = id });

    /// <summary>A chunk that does not start where the upload stands: 416, with the upload's Location and Range to resume from.</summary>
    public static DistributionException UploadRangeInvalid(long start, long offset, string location) =>
        new("BLOB_UPLOAD_INVALID", 416, $"the chunk starts at byte {start}, the upload has {offset} bytes")
        {
            Headers = new Dictionary<string, string>
            {
                ["Location"] = location,
                ["Range"] = $"0-{Math.Max(offset - 1, 0).ToString(CultureInfo.InvariantCulture)}",
            },
        };

    public static DistributionException BlobRangeInvalid(string range, long size) =>
        new("SIZE_INVALID", 416, $"range \"{range}\" is outside the blob's {size} bytes")
        {
            Headers = new Dictionary<string, string> { ["Content-Range"] = $"bytes */{size.ToString(CultureInfo.InvariantCulture)}" },
        };

    public static DistributionException DigestInvalid(string message, string? expected = null, string? actual = null)
    {
        var detail = expected is null ? null : new JsonObject { ["expected"] = expected, ["actual"] = actual };
        return new("DIGEST_INVALID", 400, $"provided digest did not match uploaded content: {message}", detail);
    }

    public static DistributionException ManifestBlobUnknown(string digest, string what) =>
        new("MANIFEST_BLOB_UNKNOWN", 400, $"manifest references a {what} unknown to this repository: {digest}", Digest(digest));

    public static DistributionException ManifestInvalid(string message) =>
        new("MANIFEST_INVALID", 400, $"manifest invalid: {message}");

    public static DistributionException BlobTooLarge(long limit) =>
        new("SIZE_INVALID", 413, $"blob upload invalid: larger than the limit of {limit.ToString(CultureInfo.InvariantCulture)} bytes");

    public static DistributionException ManifestTooLarge(long limit) =>
        new("MANIFEST_INVALID", 413, $"manifest invalid: larger than the limit of {limit.ToString(CultureInfo.InvariantCulture)} bytes");

    public static DistributionException ManifestUnknown(string reference, string? why = null) =>
        new("MANIFEST_UNKNOWN", 404, "manifest unknown" + (why is null ? "" : $": {why}"), new JsonObject { ["reference"] = reference });

    public static DistributionException NameInvalid(string name, string why) =>
        new("NAME_INVALID", 400, $"invalid repository name \"{name}\": {why}", new JsonObject { ["name"] = name });

    public static DistributionException NameUnknown(string name, string? why = null) =>
        new("NAME_UNKNOWN", 404, "repository name not known to registry" + (why is null ? "" : $": {why}"), new JsonObject { ["name"] = name });

    public static DistributionException PaginationInvalid(string value) =>
        new("PAGINATION_NUMBER_INVALID", 400, $"invalid number of results requested: \"{value}\"");

    public static DistributionException SizeInvalid(string message) =>
        new("SIZE_INVALID", 400, $"provided length did not match content length: {message}");

    public static DistributionException TagInvalid(string tag) =>
        new("TAG_INVALID", 400, $"invalid tag \"{tag}\": a tag must match ^[A-Za-z0-9_][A-Za-z0-9_.-]{{0,127}}$", new JsonObject { ["tag"] = tag });

    /// <param name="challenge">The <c>WWW-Authenticate</c> value; a Basic challenge when null.</param>
    public static DistributionException Unauthorized(string reason, string? challenge = null) =>
        new("UNAUTHORIZED", 401, $"authentication required: {reason}")
        {
            Headers = new Dictionary<string, string> { ["WWW-Authenticate"] = challenge ?? "Basic realm=\"imagestreams\"" },
        };

    public static DistributionException Denied(string reason) =>
        new("DENIED", 403, $"requested access to the resource is denied: {reason}");

    public static DistributionException Unsupported(string message, int status = 405) =>
        new("UNSUPPORTED", status, $"the operation is unsupported: {message}");

    public static DistributionException TooManyRequests(string message, TimeSpan retryAfter) =>
        new("TOOMANYREQUESTS", 429, $"too many requests: {message}", retryAfter: retryAfter);

    /// <summary>The source of a pulled-through image failed in a way that may pass (5xx, timeouts, network).</summary>
    public static DistributionException Unavailable(string message) =>
        new("UNAVAILABLE", 503, $"service unavailable: {message}");

    public static DistributionException Unknown(string message) =>
        new("UNKNOWN", 500, $"unknown error: {message}");

    private static JsonObject Digest(string digest) => new() { ["digest"] = digest };
}
