using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using ImageStreams.Model.Meta;

namespace ImageStreams.Server.Api.Discovery;

/// <summary>
/// OpenAPI v3 documents, one per group version, as far as clients need them: kubectl reads the PATCH operation of a kind
/// to learn that the server validates fields itself (the <c>fieldValidation</c> parameter) and which patch types it takes.
/// Schemas are open objects: kubectl then validates nothing locally and computes JSON merge patches for apply.
/// </summary>
internal sealed class OpenApiDocuments
{
    private readonly ConcurrentDictionary<string, (JsonObject Document, string Hash)> _documents = new(StringComparer.Ordinal);

    /// <summary>The index: each group version's path (<c>api/v1</c>, <c>apis/image.openshift.io/v1</c>) and its URL.</summary>
    public JsonObject Index()
    {
        var paths = new JsonObject();
        foreach (var groupVersion in DiscoveryDocuments.GroupVersions)
        {
            var key = PathKey(groupVersion.Key);
            paths[key] = new JsonObject { ["serverRelativeURL"] = $"/openapi/v3/{key}?hash={Get(groupVersion.Key).Hash}" };
        }
        return new JsonObject { ["paths"] = paths };
    }

    /// <summary>The document at <c>/openapi/v3/{path}</c>; null for an unknown path.</summary>
    public JsonObject? Document(string path)
    {
        var groupVersion = DiscoveryDocuments.GroupVersions.Select(g => g.Key).FirstOrDefault(gv => PathKey(gv) == path);
        return groupVersion is null ? null : Get(groupVersion).Document;
    }

    private static string PathKey(string groupVersion) => groupVersion.Contains('/', StringComparison.Ordinal) ? $"apis/{groupVersion}" : $"api/{groupVersion}";

    private (JsonObject Document, string Hash) Get(string groupVersion) => _documents.GetOrAdd(groupVersion, gv =>
    {
        var document = Build(gv);
        var hash = Convert.ToHexString(SHA512.HashData(Encoding.UTF8.GetBytes(document.ToJsonString())));
        return (document, hash);
    });

    private static JsonObject Build(string groupVersion)
    {
        var paths = new JsonObject();
        var schemas = new JsonObject();
        foreach (var type in ResourceTypes.All.Where(t => t.GroupVersion == groupVersion))
        {
            var schemaName = $"{(string.IsNullOrEmpty(type.Group) ? "io.k8s.api.core" : type.Group)}.{type.Version}.{type.Kind}";
            var reference = $"#/components/schemas/{schemaName}";
            schemas[schemaName] = new JsonObject
            {
                ["type"] = "object",
                ["x-kubernetes-group-version-kind"] = new JsonArray(Gvk(type)),
                ["x-kubernetes-preserve-unknown-fields"] = true,
            };
            var root = string.IsNullOrEmpty(type.Group) ? $"/api/{type.Version}" : $"/apis/{type.GroupVersion}";
            var collection = type.Namespaced ? $"{root}/namespaces/{{namespace}}/{type.Resource}" : $"{root}/{type.Resource}";
            var collectionPath = new JsonObject();
            var itemPath = new JsonObject();
            foreach (var verb in type.Verbs)
            {
                switch (verb)
                {
                    case "list":
                        collectionPath["get"] = Operation(type, "list", reference, null);
                        break;
                    case "create":
                        collectionPath["post"] = Operation(type, "post", reference, [MediaTypesJson]);
                        break;
                    case "deletecollection":
                        collectionPath["delete"] = Operation(type, "deletecollection", reference, null);
                        break;
                    case "get":
                        itemPath["get"] = Operation(type, "get", reference, null);
                        break;
                    case "update":
                        itemPath["put"] = Operation(type, "put", reference, [MediaTypesJson]);
                        break;
                    case "patch":
                        itemPath["patch"] = Operation(type, "patch", reference, PatchTypes);
                        break;
                    case "delete":
                        itemPath["delete"] = Operation(type, "delete", reference, null);
                        break;
                }
            }
            if (collectionPath.Count > 0)
            {
                paths[collection] = collectionPath;
            }
            if (itemPath.Count > 0)
            {
                paths[collection + "/{name}"] = itemPath;
            }
        }
        return new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "ImageStreams", ["version"] = DiscoveryDocuments.GitVersion },
            ["paths"] = paths,
            ["components"] = new JsonObject { ["schemas"] = schemas },
        };
    }

    private const string MediaTypesJson = "application/json";

    // Strategic merge patch is accepted but not advertised: kubectl would then compute it from these open schemas.
    private static readonly string[] PatchTypes = ["application/merge-patch+json", "application/json-patch+json"];

    private static JsonObject Gvk(ResourceType type) => new()
    {
        ["group"] = type.Group,
        ["version"] = type.Version,
        ["kind"] = type.Kind,
    };

    private static JsonObject Operation(ResourceType type, string action, string schemaReference, string[]? bodyTypes)
    {
        var parameters = new JsonArray();
        if (bodyTypes is not null)
        {
            parameters.Add(Query("fieldValidation", "Ignore, Warn or Strict: what to do with unknown fields in the body."));
            parameters.Add(Query("dryRun", "All: run every rule and store nothing."));
        }
        var operation = new JsonObject
        {
            ["operationId"] = $"{action}{type.Kind}",
            ["x-kubernetes-action"] = action,
            ["x-kubernetes-group-version-kind"] = Gvk(type),
            ["parameters"] = parameters,
            ["responses"] = new JsonObject
            {
                ["200"] = new JsonObject
                {
                    ["description"] = "OK",
                    ["content"] = new JsonObject { [MediaTypesJson] = new JsonObject { ["schema"] = new JsonObject { ["$ref"] = schemaReference } } },
                },
            },
        };
        if (bodyTypes is not null)
        {
            var content = new JsonObject();
            foreach (var mediaType in bodyTypes)
            {
                content[mediaType] = new JsonObject { ["schema"] = new JsonObject { ["$ref"] = schemaReference } };
            }
            operation["requestBody"] = new JsonObject { ["content"] = content, ["required"] = true };
        }
        return operation;
    }

    private static JsonObject Query(string name, string description) => new()
    {
        ["name"] = name,
        ["in"] = "query",
        ["description"] = description,
        ["schema"] = new JsonObject { ["type"] = "string" },
    };
}
