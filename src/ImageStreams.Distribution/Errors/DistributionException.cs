using System.Text.Json.Nodes;

namespace ImageStreams.Distribution.Errors;

/// <summary>
/// A failure the registry answers with the distribution spec's error body <c>{"errors":[{"code","message","detail"}]}</c>.
/// Made only by <see cref="DistributionErrors"/>, which owns codes, statuses and messages.
/// </summary>
public sealed class DistributionException : Exception
{
    internal DistributionException(string code, int status, string message, JsonNode? detail = null, TimeSpan? retryAfter = null)
        : base(message)
    {
        Code = code;
        Status = status;
        Detail = detail;
        RetryAfter = retryAfter;
    }

    /// <summary>The spec's error code, such as <c>MANIFEST_BLOB_UNKNOWN</c>.</summary>
    public string Code { get; }

    /// <summary>The HTTP status the code goes with.</summary>
    public int Status { get; }

    public JsonNode? Detail { get; }

    /// <summary>For TOOMANYREQUESTS: the wait sent as Retry-After.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>Response headers that belong to the error (an upload's resume point after a 416).</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>The error body.</summary>
    public JsonObject ToBody()
    {
        var error = new JsonObject { ["code"] = Code, ["message"] = Message };
        if (Detail is not null)
        {
            error["detail"] = Detail.DeepClone();
        }
        return new JsonObject { ["errors"] = new JsonArray(error) };
    }
}
