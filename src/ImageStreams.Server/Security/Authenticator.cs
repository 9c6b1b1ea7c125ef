using System.Text;
using Microsoft.AspNetCore.Http;

namespace ImageStreams.Server.Security;

/// <summary>What a request's credentials proved: a user, anonymous (no credentials), or a failure (bad credentials: 401).</summary>
internal sealed record Authentication(UserInfo User, string? Token, string? Failure)
{
    public static Authentication Anonymous { get; } = new(UserInfo.Anonymous, null, null);

    public static Authentication Failed(string reason) => new(UserInfo.Anonymous, null, reason);
}

/// <summary>
/// Reads <c>Authorization</c>: <c>Bearer TOKEN</c>, or <c>Basic</c> with <c>user:TOKEN</c> or <c>user:password</c> of an
/// htpasswd user (what docker clients send with <c>--creds</c>). The user name beside a token is not checked, as in
/// OpenShift's registry. The result is kept on the request, so a request that asks several times is authenticated once.
/// </summary>
internal sealed class Authenticator
{
    /// <summary>The token docker clients send after the token endpoint answered an anonymous caller.</summary>
    public const string AnonymousToken = "anonymous";

    private readonly AccessTokens tokens;
    private readonly HtpasswdFile? htpasswd;

    public Authenticator(AccessTokens tokens, HtpasswdFile? htpasswd)
    {
        this.tokens = tokens;
        this.htpasswd = htpasswd;
    }

    public async ValueTask<Authentication> AuthenticateAsync(HttpContext context, CancellationToken cancellationToken)
    {
        if (context.Features.Get<Authentication>() is { } known)
        {
            return known;
        }
        var result = await ReadAsync(context.Request.Headers.Authorization.ToString(), cancellationToken).ConfigureAwait(false);
        context.Features.Set(result);
        return result;
    }

    /// <summary>Authenticates an <c>Authorization</c> header value (empty: anonymous).</summary>
    public async ValueTask<Authentication> ReadAsync(string header, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            return Authentication.Anonymous;
        }
        var space = header.IndexOf(' ', StringComparison.Ordinal);
        var scheme = space > 0 ? header[..space] : header;
        var value = space > 0 ? header[(space + 1)..].Trim() : "";
        if (scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
        {
            if (value == AnonymousToken)
            {
                return Authentication.Anonymous;
            }
            return await FromTokenAsync(value, cancellationToken).ConfigureAwait(false) ?? Authentication.Failed("the token is invalid, expired or revoked");
        }
        if (scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
        {
            string decoded;
            try
            {
                decoded = Encoding.UTF8.GetString(Convert.FromBase64String(value));
            }
            catch (FormatException)
            {
                return Authentication.Failed("the basic credentials are not base64");
            }
            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                return Authentication.Failed("the basic credentials are not user:password");
            }
            var user = decoded[..colon];
            var secret = decoded[(colon + 1)..];
            if (await FromTokenAsync(secret, cancellationToken).ConfigureAwait(false) is { } byToken)
            {
                return byToken;
            }
            if (htpasswd is not null && user.Length > 0 && htpasswd.Verify(user, secret))
            {
                return new Authentication(UserInfo.Named(user), null, null);
            }
            return Authentication.Failed("the user name or password is wrong, or the token is invalid, expired or revoked");
        }
        return Authentication.Failed($"the authorization scheme \"{scheme}\" is not supported; use Bearer or Basic");
    }

    private async ValueTask<Authentication?> FromTokenAsync(string token, CancellationToken cancellationToken) =>
        await tokens.FindAsync(token, cancellationToken).ConfigureAwait(false) is { } found
            ? new Authentication(UserInfo.Named(found.UserName), token, null)
            : null;
}
