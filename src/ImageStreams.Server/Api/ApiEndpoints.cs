using System.Text.Json.Nodes;
using ImageStreams.Model.Meta;
using ImageStreams.Server.Api.Content;
using ImageStreams.Server.Api.Discovery;
using ImageStreams.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ImageStreams.Server.Api;

/// <summary>The Kubernetes-style API as a feature of the server: <c>services.AddImageStreamsApi()</c>, <c>app.UseImageStreamsApi()</c>.</summary>
public static class ApiEndpoints
{
    public static IServiceCollection AddImageStreamsApi(this IServiceCollection services)
    {
        services.TryAddSingleton<IRequestAuthorizer, AllowAllAuthorizer>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ResourceHandlers>();
        services.TryAddSingleton<Tables.TableConverter>();
        services.TryAddSingleton<OpenApiDocuments>();
        services.TryAddSingleton<ResourceEndpoint>();
        return services;
    }

    /// <summary>
    /// Adds the error and authorization middleware (they see every request, of this feature and of later ones) and maps
    /// discovery, health, OpenAPI and resource paths. Paths no feature serves get a 404 Status.
    /// </summary>
    public static WebApplication UseImageStreamsApi(this WebApplication app)
    {
        app.UseMiddleware<ApiErrorMiddleware>();
        app.UseMiddleware<AuthorizationMiddleware>();
        app.UseRouting();

        app.MapGet("/version", (HttpContext context) => Json(context, DiscoveryDocuments.Version()));
        foreach (var health in new[] { "/healthz", "/readyz", "/livez" })
        {
            app.MapGet(health, () => Results.Text("ok"));
        }
        app.MapGet("/openapi/v3/{**path}", (HttpContext context, OpenApiDocuments documents, string? path) =>
            Json(context, string.IsNullOrEmpty(path) ? documents.Index() : documents.Document(path)));

        // Discovery and resources share these paths; the endpoint tells them apart by the parsed request.
        var resources = app.Services.GetRequiredService<ResourceEndpoint>();
        app.Map("/api/{**rest}", resources.HandleAsync);
        app.Map("/apis/{**rest}", resources.HandleAsync);
        app.MapFallback(_ => throw ApiErrors.PathNotFound());
        return app;
    }

    internal static Task Json(HttpContext context, JsonObject? document) =>
        document is null ? throw ApiErrors.PathNotFound() : Responses.WriteAsync(context, StatusCodes.Status200OK, document);
}
