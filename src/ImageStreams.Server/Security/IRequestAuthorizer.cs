using ImageStreams.Model.Meta;
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

/// <summary>Allows every request: the default of hosts that compose the API without the server's security (<see cref="RbacAuthorizer"/>).</summary>
internal sealed class AllowAllAuthorizer : IRequestAuthorizer
{
    public ValueTask<AuthorizationDecision> AuthorizeAsync(HttpContext context, ApiRequestInfo request, CancellationToken cancellationToken) =>
        ValueTask.FromResult(AuthorizationDecision.Allow);
}
