using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ImageStreams.Registry.Client;
using ImageStreams.Registry.Errors;
using ImageStreams.Registry.Manifests;
using ImageStreams.Registry.Policy;

namespace ImageStreams.Registry.Http;

/// <summary>Turns unsuccessful registry answers into the errors of the catalogue.</summary>
internal static class ResponseErrors
{
    /// <summary>Error bodies and token answers are small; more is not read.</summary>
    public const int MaxErrorBodyBytes = 64 * 1024;

    public static async Task<RegistryException> FromResponseAsync(
        HttpResponseMessage response, RegistryRequestContext context, RegistryClientOptions options, TimeProvider time, CancellationToken cancellationToken)
    {
        var reference = context.Reference ?? context.Registry;
        switch (response.StatusCode)
        {
            case HttpStatusCode.NotFound:
                return RegistryErrors.NotFound(reference);
            case HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden:
                return RegistryErrors.Unauthorized(reference);
            case HttpStatusCode.TooManyRequests:
                return RegistryErrors.TooManyRequests(context.Registry, context.Reference, RetryAfter(response.Headers, time) ?? options.DefaultRetryAfter);
        }
        var detail = await DetailAsync(response, cancellationToken).ConfigureAwait(false);
        return (int)response.StatusCode >= 500
            ? RegistryErrors.ServerError(context.Registry, context.Reference, response.StatusCode, detail)
            : RegistryErrors.UnexpectedStatus(context.Registry, context.Reference, response.StatusCode, detail);
    }

    /// <summary>The wait a Retry-After header asks for (seconds or an HTTP date); null when absent.</summary>
    public static TimeSpan? RetryAfter(HttpResponseHeaders headers, TimeProvider time)
    {
        if (headers.RetryAfter is not { } retryAfter)
        {
            return null;
        }
        var wait = retryAfter.Delta ?? (retryAfter.Date is { } date ? date - time.GetUtcNow() : TimeSpan.Zero);
        return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
    }

    /// <summary>Reads at most <paramref name="limit"/> bytes; null when the body is longer.</summary>
    public static async Task<byte[]> ReadBoundedAsync(HttpResponseMessage response, long limit, CancellationToken cancellationToken) =>
        await TryReadBoundedAsync(response, limit, cancellationToken).ConfigureAwait(false)
        ?? throw new InvalidDataException($"the answer is longer than {limit} bytes");

    /// <summary>Reads the body if it has at most <paramref name="limit"/> bytes; null when it is longer.</summary>
    public static async Task<byte[]?> TryReadBoundedAsync(HttpResponseMessage response, long limit, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength is { } length && length > limit)
        {
            return null;
        }
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var buffer = new MemoryStream(response.Content.Headers.ContentLength is { } known ? (int)known : 4096);
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    // The distribution spec's {"errors":[{"code","message"}]}, or the start of whatever else was sent.
    private static async Task<string?> DetailAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        byte[]? body;
        try
        {
            body = await TryReadBoundedAsync(response, MaxErrorBodyBytes, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            return null;
        }
        if (body is null || body.Length == 0)
        {
            return null;
        }
        try
        {
            var errors = JsonSerializer.Deserialize(body, RegistryJsonContext.Default.ErrorsJson)?.Errors;
            if (errors is { Count: > 0 })
            {
                return string.Join("; ", errors.Select(e => string.IsNullOrEmpty(e.Message) ? e.Code : $"{e.Code}: {e.Message}"));
            }
        }
        catch (JsonException)
        {
            // Not the spec's error body; fall through to the text.
        }
        var text = Encoding.UTF8.GetString(body).Trim();
        return text.Length <= 200 ? text : text[..200] + "...";
    }
}

/// <summary>Turns transport failures (exceptions) into the errors of the catalogue.</summary>
internal static class TransportErrors
{
    public static RegistryException Map(Exception exception, RegistryRequestContext context, RegistryClientOptions options) => exception switch
    {
        RegistryException registry => registry,
        _ when Refused(exception) is { } refused => RegistryErrors.Forbidden(context.Reference ?? context.Registry, refused.Message),
        TimeoutException or OperationCanceledException =>
            RegistryErrors.Timeout(context.Registry, context.Reference, options.RequestTimeout, exception),
        HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError } =>
            RegistryErrors.TlsError(context.Registry, context.Reference, Innermost(exception), exception),
        InvalidDataException or HttpRequestException { HttpRequestError: HttpRequestError.InvalidResponse } =>
            RegistryErrors.InvalidResponse(context.Registry, context.Reference, Innermost(exception), inner: exception),
        _ => RegistryErrors.NetworkError(context.Registry, context.Reference, Innermost(exception), exception),
    };

    /// <summary>The access policy's refusal somewhere in the chain of <paramref name="exception"/>, if any.</summary>
    public static DestinationRefusedException? Refused(Exception? exception)
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception is DestinationRefusedException refused)
            {
                return refused;
            }
        }
        return null;
    }

    private static string Innermost(Exception exception)
    {
        var message = exception.Message;
        for (var inner = exception.InnerException; inner is not null; inner = inner.InnerException)
        {
            message = $"{message}: {inner.Message}";
        }
        return message;
    }
}
