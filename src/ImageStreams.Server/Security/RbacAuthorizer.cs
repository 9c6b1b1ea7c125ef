using ImageStreams.Model.Meta;
using ImageStreams.Model.Security;
using ImageStreams.Resources;
using ImageStreams.Server.Api;
using Microsoft.AspNetCore.Http;

namespace ImageStreams.Server.Security;

/// <summary>
/// Authenticates every request and checks it against the built-in roles granted by role bindings (in its namespace)
/// and cluster role bindings (everywhere). Anonymous callers get 401 where a user would be needed; known users who
/// lack the role get 403. Health, version and the console's pages are open to everyone; the token endpoint authenticates by itself.
/// </summary>
internal sealed class RbacAuthorizer(Authenticator authenticator, ResourceSet resources) : IRequestAuthorizer
{
    private static readonly string[] PublicPaths = ["/healthz", "/readyz", "/livez", "/version"];
    private static readonly string[] ReadVerbs = ["get", "list", "watch"];

    public async ValueTask<AuthorizationDecision> AuthorizeAsync(HttpContext context, ApiRequestInfo request, CancellationToken cancellationToken)
    {
        if (!request.IsResourceRequest && request.Path.StartsWith(TokenEndpoint.Path, StringComparison.Ordinal))
        {
            return AuthorizationDecision.Allow;
        }
        var authentication = await authenticator.AuthenticateAsync(context, cancellationToken).ConfigureAwait(false);
        if (authentication.Failure is { } failure)
        {
            return AuthorizationDecision.Unauthenticated(failure);
        }
        var user = authentication.User;
        var (allowed, reason) = await DecideAsync(user, authentication.Token, request, cancellationToken).ConfigureAwait(false);
        if (allowed)
        {
            return AuthorizationDecision.Allow;
        }
        return user.IsAnonymous
            ? AuthorizationDecision.Unauthenticated("Unauthorized")
            : AuthorizationDecision.Deny($"User \"{user.Name}\" cannot {reason}");
    }

    /// <summary>The console's pages are public: they hold no data, and sign in with a token to read any.</summary>
    private static bool IsConsole(string path) =>
        path == "/" || path == WebConsole.ConsoleEndpoints.Path || path.StartsWith(WebConsole.ConsoleEndpoints.Path + "/", StringComparison.Ordinal);

    /// <summary>Whether <paramref name="user"/> may do what <paramref name="request"/> asks, and if not, what it could not do.</summary>
    public async ValueTask<(bool Allowed, string Reason)> DecideAsync(UserInfo user, string? token, ApiRequestInfo request, CancellationToken cancellationToken)
    {
        if (!request.IsResourceRequest)
        {
            if (PublicPaths.Contains(request.Path) || IsConsole(request.Path))
            {
                return (true, "");
            }
            var what = $"{request.Verb} path \"{request.Path}\"";
            if (request.Path == "/metrics")
            {
                return (await ClusterRoleAsync(user, cancellationToken).ConfigureAwait(false) >= RoleRules.Rank(Roles.ClusterAdmin), what);
            }
            return (!user.IsAnonymous, what);
        }
        var clusterRank = await ClusterRoleAsync(user, cancellationToken).ConfigureAwait(false);
        if (clusterRank >= RoleRules.Rank(Roles.ClusterAdmin))
        {
            return (true, "");
        }
        var type = ResourceTypes.Find(request.ApiGroup, request.Resource);
        var description = Describe(request);
        if (type is not null && !type.Namespaced)
        {
            return (await ClusterScopedAsync(user, token, clusterRank, request, cancellationToken).ConfigureAwait(false), description);
        }
        var required = RoleRules.Rank(RoleRules.Required(request));
        if (required == 0)
        {
            return (false, description);
        }
        if (clusterRank >= required)
        {
            return (true, "");
        }
        if (request.Namespace.Length == 0)
        {
            return (false, description + " at the cluster scope");
        }
        var rank = await NamespaceRoleAsync(user, request.Namespace, cancellationToken).ConfigureAwait(false);
        return (rank >= required, description);
    }

    private async ValueTask<bool> ClusterScopedAsync(UserInfo user, string? token, int clusterRank, ApiRequestInfo request, CancellationToken cancellationToken)
    {
        switch (request.Resource)
        {
            case "namespaces":
                if (request.Verb == "create")
                {
                    // Any user may start a project, and becomes its admin (OpenShift's self-provisioner).
                    return !user.IsAnonymous;
                }
                if (request.Name.Length == 0)
                {
                    return ReadVerbs.Contains(request.Verb) && clusterRank >= RoleRules.Rank(Roles.View);
                }
                var required = RoleRules.Rank(RoleRules.Required(request));
                return required > 0 && await NamespaceRoleAsync(user, request.Name, cancellationToken).ConfigureAwait(false) >= required;
            case "users":
            case "selfsubjectaccessreviews":
                return !user.IsAnonymous;
            case "oauthaccesstokens":
                // Logging out: a user deletes the token it authenticates with.
                return request.Verb == "delete" && token is not null && request.Name == AccessTokens.ObjectName(token);
            case "images":
                return ReadVerbs.Contains(request.Verb) && (request.Name.Length > 0 ? !user.IsAnonymous : clusterRank >= RoleRules.Rank(Roles.View));
            default:
                return false;
        }
    }

    private async ValueTask<int> ClusterRoleAsync(UserInfo user, CancellationToken cancellationToken)
    {
        if (user.Groups.Contains(UserInfo.Masters))
        {
            return RoleRules.Rank(Roles.ClusterAdmin);
        }
        var rank = user.Groups.Contains(UserInfo.Controllers) ? RoleRules.Rank(Roles.Edit) : 0;
        foreach (var binding in (await resources.ClusterRoleBindings.ListAsync(null, null, cancellationToken).ConfigureAwait(false)).Items)
        {
            if (Names(user, binding.Subjects, null))
            {
                rank = Math.Max(rank, RoleRules.Rank(binding.RoleRef?.Name));
            }
        }
        return rank;
    }

    private async ValueTask<int> NamespaceRoleAsync(UserInfo user, string ns, CancellationToken cancellationToken)
    {
        var rank = 0;
        foreach (var binding in (await resources.RoleBindings.ListAsync(ns, null, cancellationToken).ConfigureAwait(false)).Items)
        {
            if (Names(user, binding.Subjects, ns))
            {
                rank = Math.Max(rank, RoleRules.Rank(binding.RoleRef?.Name));
            }
        }
        return rank;
    }

    private static bool Names(UserInfo user, IReadOnlyList<Subject>? subjects, string? bindingNamespace) =>
        subjects is not null && subjects.Any(s => s.Kind switch
        {
            Subject.UserKind => s.Name == user.Name,
            Subject.GroupKind => s.Name is not null && user.Groups.Contains(s.Name),
            Subject.ServiceAccountKind => $"{UserInfo.ServiceAccountPrefix}{s.Namespace ?? bindingNamespace}:{s.Name}" == user.Name,
            _ => false,
        });

    private static string Describe(ApiRequestInfo request)
    {
        var resource = request.Resource + (request.Subresource.Length > 0 ? "/" + request.Subresource : "");
        var group = request.ApiGroup.Length > 0 ? $" in API group \"{request.ApiGroup}\"" : " in API group \"\"";
        var scope = request.Namespace.Length > 0 ? $" in the namespace \"{request.Namespace}\"" : "";
        return $"{request.Verb} resource \"{resource}\"{group}{scope}";
    }
}
