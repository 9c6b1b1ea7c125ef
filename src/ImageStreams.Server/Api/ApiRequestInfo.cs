using Microsoft.AspNetCore.Http;

namespace ImageStreams.Server.Api;

/// <summary>
/// What a request asks for, parsed from its path and method as Kubernetes' request info is:
/// <c>/apis/{group}/{version}[/watch][/namespaces/{ns}]/{resource}[/{name}[/{subresource}]]</c> and <c>/api/v1/...</c>.
/// Everything else (discovery, health, later the registry) is a non-resource request.
/// </summary>
public sealed record ApiRequestInfo
{
    private static readonly string[] NamespaceSubresources = ["status", "finalize"];

    /// <summary>The request path, decoded.</summary>
    public string Path { get; init; } = "/";

    public bool IsResourceRequest { get; init; }

    /// <summary>get, list, watch, create, update, patch, delete, deletecollection; the lower-cased HTTP method for non-resource requests.</summary>
    public string Verb { get; init; } = "";

    public string ApiGroup { get; init; } = "";

    public string ApiVersion { get; init; } = "";

    public string Namespace { get; init; } = "";

    public string Resource { get; init; } = "";

    public string Name { get; init; } = "";

    public string Subresource { get; init; } = "";

    /// <summary>Path segments past <c>{name}/{subresource}</c>: no resource serves such a path.</summary>
    public bool HasExtraSegments { get; init; }

    public static ApiRequestInfo Parse(HttpRequest request)
    {
        var path = request.Path.Value ?? "/";
        var method = request.Method.ToLowerInvariant();
        var nonResource = new ApiRequestInfo { Path = path, Verb = method };
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        string group;
        string version;
        int start;
        switch (parts)
        {
            case ["apis", var g, var v, _, ..]:
                (group, version, start) = (g, v, 3);
                break;
            case ["api", var v, _, ..]:
                (group, version, start) = ("", v, 2);
                break;
            default:
                return nonResource;
        }
        var rest = parts[start..];
        var watchPath = false;
        if (rest[0] == "watch")
        {
            watchPath = true;
            rest = rest[1..];
            if (rest.Length == 0)
            {
                return nonResource;
            }
        }
        var ns = "";
        if (rest[0] == "namespaces" && rest.Length > 1)
        {
            ns = rest[1];
            if (rest.Length > 2 && !NamespaceSubresources.Contains(rest[2]))
            {
                rest = rest[2..];
            }
        }
        var name = rest.Length > 1 ? rest[1] : "";
        var watch = watchPath || request.Query["watch"] is ["true" or "1"];
        var verb = method switch
        {
            "get" or "head" when watch => "watch",
            "get" or "head" => name.Length == 0 ? "list" : "get",
            "post" => "create",
            "put" => "update",
            "patch" => "patch",
            "delete" => name.Length == 0 ? "deletecollection" : "delete",
            _ => method,
        };
        return new ApiRequestInfo
        {
            Path = path,
            IsResourceRequest = true,
            Verb = verb,
            ApiGroup = group,
            ApiVersion = version,
            Namespace = ns,
            Resource = rest[0],
            Name = name,
            Subresource = rest.Length > 2 ? rest[2] : "",
            HasExtraSegments = rest.Length > 3,
        };
    }
}
