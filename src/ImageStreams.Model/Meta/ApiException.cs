using ImageStreams.Model.Validation;

namespace ImageStreams.Model.Meta;

/// <summary>
/// An error that the API returns as a <see cref="Meta.Status"/> body. Every layer raises these through
/// <see cref="ApiErrors"/>, so a reason, its HTTP code and its message are decided in one place.
/// </summary>
public sealed class ApiException : Exception
{
    public ApiException(Status status)
        : base(status.Message)
    {
        Status = status;
    }

    public Status Status { get; }
    public string Reason => Status.Reason ?? StatusReasons.InternalError;
    public int Code => Status.Code;
}

/// <summary>The error catalogue of the API, with Kubernetes' reasons, codes and message forms.</summary>
public static class ApiErrors
{
    public static ApiException NotFound(GroupResource resource, string name) =>
        Make(404, StatusReasons.NotFound, $"{resource} \"{name}\" not found", resource, name);

    public static ApiException AlreadyExists(GroupResource resource, string name) =>
        Make(409, StatusReasons.AlreadyExists, $"{resource} \"{name}\" already exists", resource, name);

    public static ApiException Conflict(GroupResource resource, string name, string detail =
        "the object has been modified; please apply your changes to the latest version and try again") =>
        Make(409, StatusReasons.Conflict, $"Operation cannot be fulfilled on {resource} \"{name}\": {detail}", resource, name);

    public static ApiException Invalid(string kind, string group, string name, IReadOnlyList<FieldError> errors)
    {
        var qualified = string.IsNullOrEmpty(group) ? kind : $"{kind}.{group}";
        var message = $"{qualified} \"{name}\" is invalid: " + string.Join(", ", errors.Select(e => e.ToString()));
        return new ApiException(new Status
        {
            State = Status.Failure,
            Code = 422,
            Reason = StatusReasons.Invalid,
            Message = message,
            Details = new StatusDetails
            {
                Name = name,
                Group = group,
                Kind = kind,
                Causes = errors.Select(e => new StatusCause { Reason = e.Type, Message = e.Detail, Field = e.Field }).ToList(),
            },
        });
    }

    public static ApiException BadRequest(string message) => Make(400, StatusReasons.BadRequest, message);

    /// <summary>A path that names no resource or document of the API.</summary>
    public static ApiException PathNotFound(string message = "the server could not find the requested resource") =>
        Make(404, StatusReasons.NotFound, message);

    public static ApiException NotAcceptable(string message) => Make(406, StatusReasons.NotAcceptable, message);

    public static ApiException MethodNotAllowed(string message) => Make(405, StatusReasons.MethodNotAllowed, message);

    public static ApiException Gone(string message) => Make(410, StatusReasons.Expired, message);

    public static ApiException Unauthorized(string message = "Unauthorized") => Make(401, StatusReasons.Unauthorized, message);

    public static ApiException Forbidden(string message) => Make(403, StatusReasons.Forbidden, message);

    public static ApiException TooLarge(string message) => Make(413, StatusReasons.RequestEntityTooLarge, message);

    public static ApiException UnsupportedMediaType(string contentType) =>
        Make(415, StatusReasons.UnsupportedMediaType, $"the body of the request was in an unknown format - accepted media types include: application/json, application/yaml (got {contentType})");

    public static ApiException TooManyRequests(string message, int retryAfterSeconds) =>
        new(new Status
        {
            State = Status.Failure,
            Code = 429,
            Reason = StatusReasons.TooManyRequests,
            Message = message,
            Details = new StatusDetails { RetryAfterSeconds = retryAfterSeconds },
        });

    public static ApiException Internal(string message) => Make(500, StatusReasons.InternalError, $"Internal error occurred: {message}");

    private static ApiException Make(int code, string reason, string message, GroupResource? resource = null, string? name = null) =>
        new(new Status
        {
            State = Status.Failure,
            Code = code,
            Reason = reason,
            Message = message,
            Details = resource is null && name is null
                ? null
                : new StatusDetails { Name = name, Group = resource?.Group, Kind = resource?.Resource },
        });
}

/// <summary>A resource qualified by its group, printed as Kubernetes does ("imagestreams.image.openshift.io").</summary>
public sealed record GroupResource(string Group, string Resource)
{
    public override string ToString() => string.IsNullOrEmpty(Group) ? Resource : $"{Resource}.{Group}";
}
