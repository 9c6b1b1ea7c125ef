using System.Text.Json.Nodes;
using ImageStreams.Model.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ImageStreams.Server.Security;

/// <summary>
/// The registry's token endpoint (the realm of its <c>WWW-Authenticate: Bearer</c> challenge), at OpenShift's path
/// <c>/openshift/token</c>. Basic credentials with a token (<c>user:TOKEN</c>), or a bearer token, get that same token back;
/// an htpasswd user's password gets a new token of <see cref="ServerOptions.TokenLifetime"/>. <c>isctl login -u/-p</c>
/// uses it too. No credentials get OpenShift's <c>anonymous</c> token, which carries only what anonymous users may do.
/// What a token may do is decided per request from its user's roles, so the requested scope is not needed here.
/// </summary>
internal sealed class TokenEndpoint(Authenticator authenticator, AccessTokens tokens, ServerOptions options, TimeProvider time)
{
    public const string Path = "/openshift/token";

    public static void Map(WebApplication app)
    {
        var endpoint = app.Services.GetService(typeof(TokenEndpoint)) as TokenEndpoint
                       ?? throw new InvalidOperationException("the token endpoint is not registered");
        app.MapMethods(Path, [HttpMethods.Get, HttpMethods.Post], endpoint.HandleAsync);
    }

    private async Task HandleAsync(HttpContext context)
    {
        var cancellationToken = context.RequestAborted;
        var header = context.Request.Headers.Authorization.ToString();
        var now = time.GetUtcNow();
        if (header.Length == 0)
        {
            await WriteAsync(context, Authenticator.AnonymousToken, null, now).ConfigureAwait(false);
            return;
        }
        var authentication = await authenticator.ReadAsync(header, cancellationToken).ConfigureAwait(false);
        if (authentication.Failure is { } failure)
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers.WWWAuthenticate = "Basic realm=\"imagestreams\"";
            await context.Response.WriteAsJsonAsync(new JsonObject
            {
                ["errors"] = new JsonArray(new JsonObject { ["code"] = "UNAUTHORIZED", ["message"] = $"authentication required: {failure}" }),
            }, cancellationToken).ConfigureAwait(false);
            return;
        }
        if (authentication.Token is { } token)
        {
            var known = await tokens.FindAsync(token, cancellationToken).ConfigureAwait(false);
            await WriteAsync(context, token, known?.ExpiresAt, now).ConfigureAwait(false);
            return;
        }
        if (authentication.User.IsAnonymous)
        {
            await WriteAsync(context, Authenticator.AnonymousToken, null, now).ConfigureAwait(false);
            return;
        }
        var (issued, info) = await tokens.IssueAsync(authentication.User.Name, options.TokenLifetime, "token-endpoint", cancellationToken).ConfigureAwait(false);
        await WriteAsync(context, issued, info.ExpiresAt, now).ConfigureAwait(false);
    }

    private static Task WriteAsync(HttpContext context, string token, DateTimeOffset? expiresAt, DateTimeOffset now)
    {
        // A token that never expires is announced with a day, so clients ask again now and then rather than never.
        var expiresIn = expiresAt is { } at ? Math.Max(1, (long)(at - now).TotalSeconds) : 86_400;
        context.Response.Headers.CacheControl = "no-store";
        return context.Response.WriteAsJsonAsync(new JsonObject
        {
            ["token"] = token,
            ["access_token"] = token,
            ["expires_in"] = expiresIn,
            ["issued_at"] = ResourceJson.FormatTime(now),
        }, context.RequestAborted);
    }
}
