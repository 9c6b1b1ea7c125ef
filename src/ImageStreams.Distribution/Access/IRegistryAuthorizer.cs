using ImageStreams.Distribution.Repositories;
using ImageStreams.Model.Meta;
using Microsoft.AspNetCore.Http;

namespace ImageStreams.Distribution.Access;

/// <summary>What a registry request needs, in OpenShift's terms: pull or push on a stream's layers, or the catalog.</summary>
public enum RegistryAction
{
    /// <summary><c>GET /v2/</c>: only that the caller is known.</summary>
    Ping,

    /// <summary>Read a repository (get imagestreams/layers).</summary>
    Pull,

    /// <summary>Write a repository: uploads, manifest pushes and deletes (update imagestreams/layers).</summary>
    Push,

    /// <summary>List every repository (list imagestreams in all namespaces).</summary>
    Catalog,
}

/// <summary>
/// Decides whether a registry request may proceed; every request of <c>/v2/</c> passes through one call per repository
/// it touches (a cross-repository mount asks for pull on the source and push on the target). The server plugs its
/// authorization in here, so the registry and the API share one set of rules.
/// </summary>
public interface IRegistryAuthorizer
{
    ValueTask<AuthorizationDecision> AuthorizeAsync(HttpContext context, RegistryAction action, RepositoryName? repository, CancellationToken cancellationToken);
}

/// <summary>Everything is allowed: the default when the host plugs in no authorization.</summary>
internal sealed class AllowAllRegistryAuthorizer : IRegistryAuthorizer
{
    public ValueTask<AuthorizationDecision> AuthorizeAsync(HttpContext context, RegistryAction action, RepositoryName? repository, CancellationToken cancellationToken) =>
        ValueTask.FromResult(AuthorizationDecision.Allow);
}
