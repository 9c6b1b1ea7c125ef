using System.Text.Json.Nodes;
using ImageStreams.Distribution.Access;
using ImageStreams.Distribution.Errors;
using ImageStreams.Distribution.Repositories;
using ImageStreams.Model.Meta;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ImageStreams.Distribution.Api;

/// <summary>
/// The registry as one request handler under <c>/v2</c>: parses the route, checks the repository name and access, and
/// hands the request to the endpoints of its resource. Every answer carries <c>Docker-Distribution-Api-Version</c>;
/// every failure is the distribution spec's error body, never a Kubernetes Status.
/// </summary>
internal sealed partial class RegistryEndpoint(
    DistributionOptions options,
    IRegistryAuthorizer authorizer,
    ManifestEndpoints manifests,
    BlobEndpoints blobs,
    UploadEndpoints uploads,
    ListingEndpoints listings,
    ILogger<RegistryEndpoint> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        context.Response.Headers["Docker-Distribution-Api-Version"] = "registry/2.0";
        try
        {
            await DispatchAsync(context).ConfigureAwait(false);
        }
        catch (DistributionException e)
        {
            await WriteErrorAsync(context, e).ConfigureAwait(false);
        }
        catch (ApiException e)
        {
            await WriteErrorAsync(context, FromApi(e, Challenge(context))).ConfigureAwait(false);
        }
        catch (Exception e) when (context.RequestAborted.IsCancellationRequested || e is BadHttpRequestException or ConnectionResetException)
        {
            // A body cut short (a client that went away, or sent less than it announced): nothing of it became visible.
            await WriteErrorAsync(context, DistributionErrors.BlobUploadInvalid($"the request body could not be read: {e.Message}")).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            LogUnexpected(logger, context.Request.Method, context.Request.Path.Value ?? "", e);
            await WriteErrorAsync(context, DistributionErrors.Unknown($"unexpected {e.GetType().Name}; see the server log")).ConfigureAwait(false);
        }
    }

    private async Task DispatchAsync(HttpContext context)
    {
        var route = RegistryRoute.Parse(context.Request.Path.Value ?? "");
        var method = context.Request.Method;
        switch (route.Kind)
        {
            case RouteKind.Base:
                Allow(method, HttpMethods.Get, HttpMethods.Head);
                await AuthorizeAsync(context, RegistryAction.Ping, null).ConfigureAwait(false);
                await RegistryHttp.WriteJsonAsync(context, StatusCodes.Status200OK, new JsonObject()).ConfigureAwait(false);
                return;
            case RouteKind.Catalog:
                Allow(method, HttpMethods.Get);
                await AuthorizeAsync(context, RegistryAction.Catalog, null).ConfigureAwait(false);
                await listings.CatalogAsync(context).ConfigureAwait(false);
                return;
            case RouteKind.NotFound:
                throw DistributionErrors.Unsupported($"no registry endpoint at {context.Request.PathBase}{context.Request.Path}", StatusCodes.Status404NotFound);
        }

        var repository = RegistryHttp.ParseName(route.Name);
        switch (route.Kind)
        {
            case RouteKind.Tags:
                Allow(method, HttpMethods.Get);
                await AuthorizeAsync(context, RegistryAction.Pull, repository).ConfigureAwait(false);
                await listings.TagsAsync(context, repository).ConfigureAwait(false);
                break;
            case RouteKind.Referrers:
                Allow(method, HttpMethods.Get);
                await AuthorizeAsync(context, RegistryAction.Pull, repository).ConfigureAwait(false);
                await listings.ReferrersAsync(context, repository, route.Argument).ConfigureAwait(false);
                break;
            case RouteKind.Manifest:
                Allow(method, HttpMethods.Get, HttpMethods.Head, HttpMethods.Put, HttpMethods.Delete);
                await AuthorizeAsync(context, Reads(method) ? RegistryAction.Pull : RegistryAction.Push, repository).ConfigureAwait(false);
                await manifests.HandleAsync(context, repository, route.Argument).ConfigureAwait(false);
                break;
            case RouteKind.Blob:
                Allow(method, HttpMethods.Get, HttpMethods.Head, HttpMethods.Delete);
                await AuthorizeAsync(context, Reads(method) ? RegistryAction.Pull : RegistryAction.Push, repository).ConfigureAwait(false);
                await blobs.HandleAsync(context, repository, route.Argument).ConfigureAwait(false);
                break;
            case RouteKind.Upload:
                Allow(method, route.Argument.Length == 0 ? [HttpMethods.Post] : [HttpMethods.Get, HttpMethods.Patch, HttpMethods.Put, HttpMethods.Delete]);
                await AuthorizeAsync(context, RegistryAction.Push, repository).ConfigureAwait(false);
                await uploads.HandleAsync(context, repository, route.Argument, source => AuthorizeAsync(context, RegistryAction.Pull, source)).ConfigureAwait(false);
                break;
        }
    }

    private async Task AuthorizeAsync(HttpContext context, RegistryAction action, RepositoryName? repository)
    {
        var decision = await authorizer.AuthorizeAsync(context, action, repository, context.RequestAborted).ConfigureAwait(false);
        if (!decision.Allowed)
        {
            throw decision.Authenticated ? DistributionErrors.Denied(decision.Reason) : DistributionErrors.Unauthorized(decision.Reason, Challenge(context));
        }
    }

    /// <summary>Where a client gets a token: the token endpoint on the host and scheme the client used to reach us.</summary>
    private string? Challenge(HttpContext context)
    {
        if (options.TokenRealmPath is not { } path)
        {
            return null;
        }
        var host = context.Request.Host.Value;
        return $"Bearer realm=\"{context.Request.Scheme}://{host}{path}\",service=\"{host}\"";
    }

    private static bool Reads(string method) => HttpMethods.IsGet(method) || HttpMethods.IsHead(method);

    private static void Allow(string method, params string[] allowed)
    {
        if (!allowed.Any(m => string.Equals(m, method, StringComparison.OrdinalIgnoreCase)))
        {
            throw DistributionErrors.Unsupported($"{method} is not allowed here; allowed: {string.Join(", ", allowed)}");
        }
    }

    /// <summary>API failures of the stores behind the registry, in the registry's terms.</summary>
    private static DistributionException FromApi(ApiException e, string? challenge) => e.Code switch
    {
        404 => DistributionErrors.NameUnknown(e.Status.Details?.Name ?? "", e.Message),
        401 => DistributionErrors.Unauthorized(e.Message, challenge),
        403 => DistributionErrors.Denied(e.Message),
        409 or 422 or 400 => DistributionErrors.ManifestInvalid(e.Message),
        _ => DistributionErrors.Unknown(e.Message),
    };

    private static async Task WriteErrorAsync(HttpContext context, DistributionException error)
    {
        if (context.Response.HasStarted)
        {
            // Part of a body is out: cutting the connection is the only way to tell the client it is incomplete.
            context.Abort();
            return;
        }
        context.Response.Headers.Remove("Docker-Content-Digest");
        foreach (var (name, value) in error.Headers)
        {
            context.Response.Headers[name] = value;
        }
        if (error.RetryAfter is { } wait)
        {
            context.Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        if (context.RequestAborted.IsCancellationRequested)
        {
            return;
        }
        var body = HttpMethods.IsHead(context.Request.Method) ? null : error.ToBody();
        await RegistryHttp.WriteJsonAsync(context, error.Status, body).ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 50, Level = LogLevel.Error, Message = "registry {Method} {Path} failed")]
    private static partial void LogUnexpected(ILogger logger, string method, string path, Exception exception);
}
