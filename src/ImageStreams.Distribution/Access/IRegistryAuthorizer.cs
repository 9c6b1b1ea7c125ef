using ImageStreams.Distribution.Repositories;
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

/// <summary>The outcome of <see cref="IRegistryAuthorizer"/>.</summary>
public sealed record RegistryAuthorization
{
    private RegistryAuthorization(bool allowed, bool authenticated, string reason)
    {
        Allowed = allowed;
        Authenticated = authenticated;
        Reason = reason;
    }

    public bool Allowed { get; }

    /// <summary>False when the caller could not be identified (401 UNAUTHORIZED); with <see cref="Allowed"/> false otherwise, 403 DENIED.</summary>
    public bool Authenticated { get; }

    public string Reason { get; }

    public static RegistryAuthorization Allow { get; } = new(true, true, "");

    public static RegistryAuthorization Deny(string reason) => new(false, true, reason);

    public static RegistryAuthorization Unauthenticated(string reason) => new(false, false, reason);
}

/// <summary>
/// Decides whether a registry request may proceed; every request of <c>/v2/</c> passes through one call per repository
/// it touches (a cross-repository mount asks for pull on the source and push on the target). The server plugs its
/// authorization in here, so the registry and the API share one set of rules.
/// </summary>
public interface IRegistryAuthorizer
{
    ValueTask<RegistryAuthorization> AuthorizeAsync(HttpContext context, RegistryAction action, RepositoryName? repository, CancellationToken cancellationToken);
}

/// <summary>Everything is allowed: the default when the host plugs in no authorization.</summary>
internal sealed class AllowAllRegistryAuthorizer : IRegistryAuthorizer
{
    public ValueTask<RegistryAuthorization> AuthorizeAsync(HttpContext context, RegistryAction action, RepositoryName? repository, CancellationToken cancellationToken) =>
        ValueTask.FromResult(RegistryAuthorization.Allow);
}
