using ImageStreams.Model.Meta;
using ImageStreams.Server.Api.Content;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ImageStreams.Server.Api;

/// <summary>
/// Turns every failure into a Kubernetes <c>Status</c> body with its code and reason. Unexpected exceptions are logged
/// and answered with a short 500; a stack trace never leaves the server.
/// </summary>
internal sealed partial class ApiErrorMiddleware(RequestDelegate next, ILogger<ApiErrorMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (ApiException e)
        {
            await WriteAsync(context, e.Status).ConfigureAwait(false);
        }
        catch (BadHttpRequestException e)
        {
            var error = e.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? ApiErrors.TooLarge($"Request entity too large: {e.Message}")
                : ApiErrors.BadRequest(e.Message);
            await WriteAsync(context, error.Status).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nobody is left to answer.
        }
        catch (Exception e)
        {
            LogUnexpected(logger, context.Request.Method, context.Request.Path.Value ?? "", e);
            await WriteAsync(context, ApiErrors.Internal($"unexpected {e.GetType().Name}; see the server log").Status).ConfigureAwait(false);
        }
    }

    private static async Task WriteAsync(HttpContext context, Status status)
    {
        if (context.Response.HasStarted)
        {
            // Part of a body is out (a watch stream): the only honest end is to cut the connection.
            context.Abort();
            return;
        }
        context.Response.Clear();
        await Responses.WriteStatusAsync(context, status).ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "{Method} {Path} failed")]
    private static partial void LogUnexpected(ILogger logger, string method, string path, Exception exception);
}
