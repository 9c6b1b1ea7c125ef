using ImageStreams.Server.Api;
using Microsoft.AspNetCore.Http;

namespace ImageStreams.Server.Security;

/// <summary>
/// Decides whether a request may proceed. Every request passes through one call, with what it asks for already parsed
/// (verb, resource, namespace, name), so authentication and per-namespace authorization plug in here.
/// </summary>
public interface IRequestAuthorizer
{
    ValueTask<AuthorizationDecision> AuthorizeAsync(HttpContext context, ApiRequestInfo request, CancellationToken cancellationToken);
}

/// <summary>The outcome of <see cref="IRequestAuthorizer"/>.</summary>
public sealed record AuthorizationDecision
{
    private AuthorizationDecision(bool allowed, bool authenticated, string reason)
    {
        Allowed = allowed;
        Authenticated = authenticated;
        Reason = reason;
    }

    public bool Allowed { get; }

    /// <summary>False when the caller could not be identified (401); true with <see cref="Allowed"/> false is 403.</summary>
    public bool Authenticated { get; }

    public string Reason { get; }

    public static AuthorizationDecision Allow { get; } = new(true, true, "");

    public static AuthorizationDecision Deny(string reason) => new(false, true, reason);

    public static AuthorizationDecision Unauthenticated(string reason = "Unauthorized") => new(false, false, reason);
}

/// <summary>Allows every request: the server has no notion of users yet.</summary>
internal sealed class AllowAllAuthorizer : IRequestAuthorizer
{
    public ValueTask<AuthorizationDecision> AuthorizeAsync(HttpContext context, ApiRequestInfo request, CancellationToken cancellationToken) =>
        ValueTask.FromResult(AuthorizationDecision.Allow);
}
