using ImageStreams.Distribution.Access;
using ImageStreams.Distribution.Repositories;
using ImageStreams.Model.Image;
using ImageStreams.Model.Meta;
using ImageStreams.Server.Api;
using Microsoft.AspNetCore.Http;

namespace ImageStreams.Server.Security;

/// <summary>
/// Puts registry requests through the server's <see cref="IRequestAuthorizer"/>, asked as OpenShift asks for its registry:
/// pull is <c>get imagestreams/layers</c>, push is <c>update imagestreams/layers</c> in the stream's namespace, the
/// catalog is <c>list imagestreams</c> in all namespaces, and <c>/v2/</c> is a non-resource <c>get</c>.
/// </summary>
internal sealed class RegistryRequestAuthorizer(IRequestAuthorizer authorizer) : IRegistryAuthorizer
{
    public ValueTask<AuthorizationDecision> AuthorizeAsync(
        HttpContext context, RegistryAction action, RepositoryName? repository, CancellationToken cancellationToken)
    {
        var path = context.Request.PathBase + context.Request.Path;
        var request = action switch
        {
            RegistryAction.Ping => new ApiRequestInfo { Path = path, Verb = "get" },
            RegistryAction.Catalog => Resource(path, "list", "", ""),
            _ => Resource(path, action == RegistryAction.Pull ? "get" : "update", repository!.Namespace, repository.Stream) with { Subresource = "layers" },
        };
        return authorizer.AuthorizeAsync(context, request, cancellationToken);
    }

    private static ApiRequestInfo Resource(string path, string verb, string ns, string name) => new()
    {
        Path = path,
        IsResourceRequest = true,
        Verb = verb,
        ApiGroup = ImageApi.Group,
        ApiVersion = ImageApi.Version,
        Namespace = ns,
        Resource = "imagestreams",
        Name = name,
    };
}
