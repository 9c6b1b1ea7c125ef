using System.Globalization;
using System.Net;
using ImageStreams.Model.Meta;

namespace ImageStreams.Registry.Errors;

/// <summary>
/// The error catalogue: every failure of the registry client is made here, with the messages OpenShift
/// users know. <c>reference</c> is the exact image reference the operation was about.
/// </summary>
public static class RegistryErrors
{
    /// <summary>The resource OpenShift names in its not-found message for remote images.</summary>
    public static readonly GroupResource DockerImageResource = new("image.openshift.io", "dockerimage");

    public static RegistryException InvalidReference(string message) =>
        new(RegistryErrorReason.InvalidReference, message, transient: false);

    public static RegistryException NotFound(string reference) =>
        new(RegistryErrorReason.NotFound, $"{DockerImageResource} \"{reference}\" not found", transient: false, reference: reference);

    public static RegistryException Unauthorized(string reference) =>
        new(RegistryErrorReason.Unauthorized, $"you may not have access to the container image \"{reference}\"", transient: false, reference: reference);

    public static RegistryException WrongCredentials(string reference) =>
        new(RegistryErrorReason.WrongCredentials, $"incorrect username or password for image \"{reference}\"", transient: false, reference: reference);

    /// <param name="repositoryName"><c>registry/repository</c>, as OpenShift prints it.</param>
    public static RegistryException HttpOnly(string repositoryName, string reference) =>
        new(RegistryErrorReason.HttpOnly, $"the repository {repositoryName} is HTTP only and requires the insecure flag to import", transient: false, reference: reference);

    public static RegistryException NotV2Registry(string registry, string? reference) =>
        new(RegistryErrorReason.NotV2Registry, $"registry \"{registry}\" does not support the v2 Registry API", transient: false, reference: reference);

    /// <summary>Content that does not hash to its digest. Transient: a retry may get good bytes.</summary>
    public static RegistryException ContentIntegrity(string reference, string detail) =>
        new(RegistryErrorReason.ContentIntegrity, $"content integrity error: {detail} (image \"{reference}\")", transient: true, reference: reference);

    public static RegistryException UnsupportedManifest(string reference, string? mediaType, string? detail = null) =>
        new(RegistryErrorReason.UnsupportedManifest,
            "unsupported image manifest type" + (string.IsNullOrEmpty(mediaType) ? "" : $" \"{mediaType}\"")
                + (detail is null ? "" : $": {detail}") + $" (image \"{reference}\")",
            transient: false, reference: reference);

    public static RegistryException TooLarge(string reference, string what, long limit) =>
        new(RegistryErrorReason.TooLarge, $"the {what} of image \"{reference}\" is larger than the limit of {limit} bytes", transient: false, reference: reference);

    public static RegistryException TooManyRequests(string registry, string? reference, TimeSpan retryAfter) =>
        new(RegistryErrorReason.TooManyRequests,
            $"too many requests to registry \"{registry}\"" + (reference is null ? "" : $" for image \"{reference}\"")
                + $": retry after {Seconds(retryAfter)}s",
            transient: true, retryAfter: retryAfter, reference: reference);

    public static RegistryException ServerError(string registry, string? reference, HttpStatusCode status, string? detail) =>
        new(RegistryErrorReason.ServerError,
            $"registry \"{registry}\" answered {(int)status} {status}" + For(reference) + (detail is null ? "" : $": {detail}"),
            transient: true, reference: reference);

    public static RegistryException Timeout(string registry, string? reference, TimeSpan after, Exception? inner = null) =>
        new(RegistryErrorReason.Timeout,
            $"timed out after {Seconds(after)}s waiting for registry \"{registry}\"" + For(reference),
            transient: true, reference: reference, innerException: inner);

    public static RegistryException NetworkError(string registry, string? reference, string detail, Exception? inner = null) =>
        new(RegistryErrorReason.NetworkError,
            $"cannot reach registry \"{registry}\"" + For(reference) + $": {detail}",
            transient: true, reference: reference, innerException: inner);

    public static RegistryException TlsError(string registry, string? reference, string detail, Exception? inner = null) =>
        new(RegistryErrorReason.TlsError,
            $"TLS connection to registry \"{registry}\" failed" + For(reference) + $": {detail}",
            transient: false, reference: reference, innerException: inner);

    /// <summary>A garbage answer; transient unless the registry's own configuration is at fault.</summary>
    public static RegistryException InvalidResponse(string registry, string? reference, string detail, bool transient = true, Exception? inner = null) =>
        new(RegistryErrorReason.InvalidResponse,
            $"registry \"{registry}\" returned an invalid response" + For(reference) + $": {detail}",
            transient, reference: reference, innerException: inner);

    public static RegistryException UnexpectedStatus(string registry, string? reference, HttpStatusCode status, string? detail) =>
        new(RegistryErrorReason.UnexpectedStatus,
            $"registry \"{registry}\" answered {(int)status} {status}" + For(reference) + (detail is null ? "" : $": {detail}"),
            transient: false, reference: reference);

    /// <summary>Refused by the access policy before any connection was made.</summary>
    public static RegistryException Forbidden(string reference, string detail) =>
        new(RegistryErrorReason.Forbidden, $"importing \"{reference}\" is forbidden: {detail}", transient: false, reference: reference);

    private static string For(string? reference) => reference is null ? "" : $" for image \"{reference}\"";

    private static string Seconds(TimeSpan span) =>
        Math.Ceiling(span.TotalSeconds).ToString(CultureInfo.InvariantCulture);
}
