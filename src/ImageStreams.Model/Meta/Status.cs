using System.Text.Json.Serialization;

namespace ImageStreams.Model.Meta;

/// <summary>metav1.Status: the body of every API error.</summary>
public sealed record Status
{
    public string ApiVersion { get; init; } = "v1";
    public string Kind { get; init; } = "Status";
    public ListMeta Metadata { get; init; } = new();
    /// <summary>"Success" or "Failure".</summary>
    [JsonPropertyName("status")]
    public string? State { get; init; }
    public string? Message { get; init; }
    public string? Reason { get; init; }
    public StatusDetails? Details { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int Code { get; init; }

    public const string Success = "Success";
    public const string Failure = "Failure";
}

public sealed record StatusDetails
{
    public string? Name { get; init; }
    public string? Group { get; init; }
    public string? Kind { get; init; }
    public string? Uid { get; init; }
    public IReadOnlyList<StatusCause>? Causes { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int RetryAfterSeconds { get; init; }
}

public sealed record StatusCause
{
    public string? Reason { get; init; }
    public string? Message { get; init; }
    public string? Field { get; init; }
}

/// <summary>The reasons of metav1.StatusReason that this server uses.</summary>
public static class StatusReasons
{
    public const string NotFound = "NotFound";
    public const string AlreadyExists = "AlreadyExists";
    public const string Conflict = "Conflict";
    public const string Invalid = "Invalid";
    public const string BadRequest = "BadRequest";
    public const string Unauthorized = "Unauthorized";
    public const string Forbidden = "Forbidden";
    public const string MethodNotAllowed = "MethodNotAllowed";
    public const string Gone = "Gone";
    public const string Expired = "Expired";
    public const string TooManyRequests = "TooManyRequests";
    public const string RequestEntityTooLarge = "RequestEntityTooLarge";
    public const string UnsupportedMediaType = "UnsupportedMediaType";
    public const string NotAcceptable = "NotAcceptable";
    public const string InternalError = "InternalError";
    public const string Timeout = "Timeout";
    public const string ServiceUnavailable = "ServiceUnavailable";
}
