using ImageStreams.Model.Meta;
using ImageStreams.Server.Api;
using Microsoft.AspNetCore.Http;

namespace ImageStreams.Server.Security;

/// <summary>Parses what each request asks for and lets the <see cref="IRequestAuthorizer"/> decide before anything runs.</summary>
internal sealed class AuthorizationMiddleware(RequestDelegate next, IRequestAuthorizer authorizer)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var request = ApiRequestInfo.Parse(context.Request);
        context.Features.Set(request);
        var decision = await authorizer.AuthorizeAsync(context, request, context.RequestAborted).ConfigureAwait(false);
        if (decision.Allowed)
        {
            await next(context).ConfigureAwait(false);
            return;
        }
        if (!decision.Authenticated)
        {
            throw ApiErrors.Unauthorized(decision.Reason);
        }
        var target = request.IsResourceRequest
            ? $"{new GroupResource(request.ApiGroup, request.Resource)}{(request.Name.Length > 0 ? $" \"{request.Name}\"" : "")}"
            : request.Path;
        throw ApiErrors.Forbidden($"{target} is forbidden: {decision.Reason}");
    }
}
