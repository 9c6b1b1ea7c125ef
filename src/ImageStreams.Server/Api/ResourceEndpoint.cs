using System.Text.Json.Nodes;
using ImageStreams.Model.Meta;
using ImageStreams.Resources;
using ImageStreams.Resources.Patching;
using ImageStreams.Server.Api.Content;
using ImageStreams.Server.Api.Discovery;
using ImageStreams.Server.Api.Tables;
using ImageStreams.Server.Api.Watch;
using Microsoft.AspNetCore.Http;

namespace ImageStreams.Server.Api;

/// <summary>
/// Serves the resource paths of <c>/api/v1</c> and <c>/apis/{group}/{version}</c>: finds the resource, checks the path's
/// scope and the verb against the catalogue, decodes the body and hands the request to the resource's handler.
/// </summary>
internal sealed class ResourceEndpoint(ResourceHandlers handlers, TableConverter tables, ServerOptions options, IEnumerable<ISubresourceHandler> subresources)
{
    private static readonly string[] StatusVerbs = ["get", "update", "patch"];

    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Features.Get<ApiRequestInfo>() ?? ApiRequestInfo.Parse(context.Request);
        if (!request.IsResourceRequest)
        {
            await DiscoveryAsync(context, request).ConfigureAwait(false);
            return;
        }
        var type = ResourceTypes.Find(request.ApiGroup, request.Resource);
        if (type is null || type.Version != request.ApiVersion || request.HasExtraSegments || !InScope(type, request))
        {
            throw ApiErrors.PathNotFound();
        }
        var status = request.Subresource == "status";
        if (request.Subresource.Length > 0 && !status)
        {
            await SubresourceAsync(context, type, request).ConfigureAwait(false);
            return;
        }
        if (status && !type.HasStatusSubresource)
        {
            throw ApiErrors.PathNotFound();
        }
        var verb = request.Verb;
        if (status ? !StatusVerbs.Contains(verb) : !type.Verbs.Contains(verb))
        {
            throw ApiErrors.MethodNotAllowed($"{verb} is not allowed on {type.GroupResource}{(status ? "/status" : "")}");
        }
        // Creates go to the collection; updates and patches to one object.
        var misplaced = verb == "create" ? request.Name.Length > 0 : verb is "update" or "patch" && request.Name.Length == 0;
        if (misplaced)
        {
            throw ApiErrors.MethodNotAllowed("the server does not allow this method on the requested resource");
        }
        var handler = handlers.Find(type) ?? throw ApiErrors.MethodNotAllowed($"{type.GroupResource} is not supported yet");
        // A namespace is addressed by its name; the namespace of a path matters only to namespaced resources.
        var ns = type.Namespaced ? NullIfEmpty(request.Namespace) : null;
        var query = new RequestQuery(context.Request.Query);
        var cancellationToken = context.RequestAborted;
        switch (verb)
        {
            case "get":
                await RespondAsync(context, type, StatusCodes.Status200OK, await handler.GetAsync(ns, request.Name, cancellationToken).ConfigureAwait(false), query).ConfigureAwait(false);
                break;
            case "list":
                await RespondListAsync(context, type, await handler.ListAsync(ns, query.ListOptions(), cancellationToken).ConfigureAwait(false), query).ConfigureAwait(false);
                break;
            case "watch":
                await WatchAsync(context, type, handler, ns, request.Name, query).ConfigureAwait(false);
                break;
            case "create":
                var created = await handler.CreateAsync(ns, await ReadObjectAsync(context).ConfigureAwait(false), Write(query, status), cancellationToken).ConfigureAwait(false);
                await RespondAsync(context, type, StatusCodes.Status201Created, created, query).ConfigureAwait(false);
                break;
            case "update":
                var updated = await handler.UpdateAsync(ns, request.Name, await ReadObjectAsync(context).ConfigureAwait(false), Write(query, status), cancellationToken).ConfigureAwait(false);
                await RespondAsync(context, type, StatusCodes.Status200OK, updated, query).ConfigureAwait(false);
                break;
            case "patch":
                var patch = await ReadPatchAsync(context, type).ConfigureAwait(false);
                var patched = await handler.PatchAsync(ns, request.Name, patch, Write(query, status), cancellationToken).ConfigureAwait(false);
                await RespondAsync(context, type, StatusCodes.Status200OK, patched, query).ConfigureAwait(false);
                break;
            case "delete":
                var deleted = await handler.DeleteAsync(ns, request.Name, await ReadDeleteOptionsAsync(context, query).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
                await RespondAsync(context, type, StatusCodes.Status200OK, deleted, query).ConfigureAwait(false);
                break;
            case "deletecollection":
                var removed = await handler.DeleteCollectionAsync(ns, query.ListOptions(), await ReadDeleteOptionsAsync(context, query).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
                await RespondListAsync(context, type, removed, query).ConfigureAwait(false);
                break;
            default:
                throw ApiErrors.MethodNotAllowed("the server does not allow this method on the requested resource");
        }
    }

    private Task SubresourceAsync(HttpContext context, ResourceType type, ApiRequestInfo request)
    {
        var handler = subresources.FirstOrDefault(h => h.Type == type && h.Name == request.Subresource)
                      ?? throw ApiErrors.PathNotFound();
        if (request.Verb != handler.Verb || request.Namespace.Length == 0 && type.Namespaced)
        {
            throw ApiErrors.MethodNotAllowed($"{request.Verb} is not allowed on {type.GroupResource}/{handler.Name}");
        }
        return handler.HandleAsync(context, request.Namespace, request.Name);
    }

    /// <summary><c>/api</c>, <c>/api/v1</c>, <c>/apis</c>, <c>/apis/{group}</c> and <c>/apis/{group}/{version}</c>.</summary>
    private static Task DiscoveryAsync(HttpContext context, ApiRequestInfo request)
    {
        var parts = request.Path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var document = parts switch
        {
            ["api"] => DiscoveryDocuments.Versions(context.Request.Host.Value ?? ""),
            ["api", var version] => DiscoveryDocuments.ResourceList(version),
            ["apis"] => DiscoveryDocuments.GroupList(),
            ["apis", var group] => DiscoveryDocuments.GroupDocument(group),
            ["apis", var group, var version] => DiscoveryDocuments.ResourceList($"{group}/{version}"),
            _ => null,
        };
        if (document is not null && context.Request.Method is not ("GET" or "HEAD"))
        {
            throw ApiErrors.MethodNotAllowed("the server does not allow this method on the requested resource");
        }
        return ApiEndpoints.Json(context, document);
    }

    /// <summary>
    /// Namespaced resources live under <c>namespaces/{ns}/</c>, except for lists and watches across all namespaces;
    /// cluster-scoped ones never do (a namespace is itself addressed as <c>namespaces/{name}</c>).
    /// </summary>
    private static bool InScope(ResourceType type, ApiRequestInfo request)
    {
        if (type == ResourceTypes.Namespaces)
        {
            return true;
        }
        if (!type.Namespaced)
        {
            return request.Namespace.Length == 0;
        }
        return request.Namespace.Length > 0 || request.Verb is "list" or "watch";
    }

    private async Task WatchAsync(HttpContext context, ResourceType type, IResourceHandler handler, string? ns, string name, RequestQuery query)
    {
        var kind = ResponseKind.Negotiate(context.Request);
        var include = query.IncludeObject;
        var limit = TimeSpan.FromSeconds(options.MaxWatchSeconds);
        var timeout = query.TimeoutSeconds is { } asked && asked > TimeSpan.Zero && asked < limit ? asked : limit;
        var watchOptions = query.WatchOptions(NullIfEmpty(name));
        JsonNode Present(JsonObject obj) => kind.Format switch
        {
            ResponseFormat.Table => tables.ToTable(type, [obj], obj["metadata"]?["resourceVersion"]?.GetValue<string>(), include, kind.MetaVersion),
            ResponseFormat.Metadata => TableConverter.PartialMetadata(obj, kind.MetaVersion),
            _ => obj,
        };
        await WatchStreamer.StreamAsync(context, type, token => handler.WatchAsync(ns, watchOptions, token), Present,
            query.AllowWatchBookmarks, timeout, context.RequestAborted).ConfigureAwait(false);
    }

    private Task RespondAsync(HttpContext context, ResourceType type, int statusCode, JsonObject obj, RequestQuery query)
    {
        var kind = ResponseKind.Negotiate(context.Request);
        // A Status (what some deletes return) is never turned into a table.
        if (obj["kind"]?.GetValue<string>() == "Status")
        {
            return Responses.WriteAsync(context, statusCode, obj, kind.Format == ResponseFormat.Yaml ? ResponseFormat.Yaml : ResponseFormat.Json);
        }
        JsonNode body = kind.Format switch
        {
            ResponseFormat.Table => tables.ToTable(type, [obj], obj["metadata"]?["resourceVersion"]?.GetValue<string>(), query.IncludeObject, kind.MetaVersion),
            ResponseFormat.Metadata => TableConverter.PartialMetadata(obj, kind.MetaVersion),
            _ => obj,
        };
        return Responses.WriteAsync(context, statusCode, body, kind.Format);
    }

    private Task RespondListAsync(HttpContext context, ResourceType type, JsonObject list, RequestQuery query)
    {
        var kind = ResponseKind.Negotiate(context.Request);
        var items = (list["items"] as JsonArray ?? []).OfType<JsonObject>();
        var version = list["metadata"]?["resourceVersion"]?.GetValue<string>();
        JsonNode body = kind.Format switch
        {
            ResponseFormat.Table => tables.ToTable(type, items, version, query.IncludeObject, kind.MetaVersion),
            ResponseFormat.Metadata => new JsonObject
            {
                ["kind"] = "PartialObjectMetadataList",
                ["apiVersion"] = $"meta.k8s.io/{kind.MetaVersion}",
                ["metadata"] = list["metadata"]?.DeepClone(),
                ["items"] = new JsonArray(items.Select(i => TableConverter.PartialMetadata(i, kind.MetaVersion)).ToArray<JsonNode?>()),
            },
            _ => list,
        };
        return Responses.WriteAsync(context, StatusCodes.Status200OK, body, kind.Format);
    }

    private static WriteOptions Write(RequestQuery query, bool status) =>
        new(status ? WriteScope.Status : WriteScope.Main, query.DryRun, query.StrictFields);

    private async Task<JsonObject> ReadObjectAsync(HttpContext context)
    {
        var mediaType = RequestBodies.MediaType(context.Request);
        if (mediaType != MediaTypes.Json && !MediaTypes.IsYaml(mediaType) && mediaType != KubernetesProtobuf.MediaType)
        {
            throw ApiErrors.UnsupportedMediaType(mediaType);
        }
        var body = await RequestBodies.ReadAsync(context.Request, options.MaxRequestBodyBytes, context.RequestAborted).ConfigureAwait(false);
        return mediaType == KubernetesProtobuf.MediaType ? KubernetesProtobuf.Decode(body) : RequestBodies.ParseObject(body, mediaType);
    }

    private async Task<Func<JsonObject, JsonObject>> ReadPatchAsync(HttpContext context, ResourceType type)
    {
        var mediaType = RequestBodies.MediaType(context.Request);
        if (mediaType == MediaTypes.ApplyPatch)
        {
            throw new ApiException(ApiErrors.UnsupportedMediaType(mediaType).Status with
            {
                Message = "server-side apply is not supported: use kubectl apply without --server-side (a client-side apply sends a merge patch)",
            });
        }
        if (mediaType is not (MediaTypes.MergePatch or MediaTypes.StrategicMergePatch or MediaTypes.JsonPatch))
        {
            throw new ApiException(ApiErrors.UnsupportedMediaType(mediaType).Status with
            {
                Message = $"the body of a patch must be one of {MediaTypes.MergePatch}, {MediaTypes.StrategicMergePatch} or {MediaTypes.JsonPatch} (got {mediaType})",
            });
        }
        var body = RequestBodies.ParseJson(await RequestBodies.ReadAsync(context.Request, options.MaxRequestBodyBytes, context.RequestAborted).ConfigureAwait(false));
        switch (mediaType)
        {
            case MediaTypes.JsonPatch:
                var operations = body as JsonArray ?? throw ApiErrors.BadRequest("a JSON patch must be an array of operations");
                return current => JsonPatch.Apply(current, operations);
            case MediaTypes.StrategicMergePatch:
                var strategic = body as JsonObject ?? throw ApiErrors.BadRequest("a strategic merge patch must be an object");
                var keys = StrategicMergePatch.MergeKeys(type);
                return current => StrategicMergePatch.Apply(current, strategic, keys);
            default:
                var merge = body as JsonObject ?? throw ApiErrors.BadRequest("a merge patch must be an object");
                return current => MergePatch.Apply(current, merge) as JsonObject ?? [];
        }
    }

    /// <summary>Preconditions and dry run from a DELETE body (metav1.DeleteOptions, optional) and the query.</summary>
    private async Task<DeleteOptions> ReadDeleteOptionsAsync(HttpContext context, RequestQuery query)
    {
        var dryRun = query.DryRun;
        var bytes = await RequestBodies.ReadAsync(context.Request, options.MaxRequestBodyBytes, context.RequestAborted).ConfigureAwait(false);
        if (bytes.Length == 0)
        {
            return new DeleteOptions(DryRun: dryRun);
        }
        var body = RequestBodies.ParseObject(bytes, RequestBodies.MediaType(context.Request));
        var preconditions = body["preconditions"] as JsonObject;
        var bodyDryRun = body["dryRun"] is JsonArray flags && flags.Any(f => f?.GetValue<string>() == "All");
        return new DeleteOptions(
            preconditions?["resourceVersion"]?.GetValue<string>(),
            preconditions?["uid"]?.GetValue<string>(),
            dryRun || bodyDryRun);
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
