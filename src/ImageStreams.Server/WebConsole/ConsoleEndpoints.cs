using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace ImageStreams.Server.WebConsole;

/// <summary>
/// The web console as a feature of the server: static pages under <c>/console/</c> that talk to the same API as
/// <c>isctl</c> and kubectl. A browser asking for <c>/</c> is sent there; API clients asking for <c>/</c> still get a Status.
/// </summary>
public static class ConsoleEndpoints
{
    public const string Path = "/console";

    // The pages load nothing from elsewhere and run no inline script; the API is on the same origin.
    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    public static WebApplication MapImageStreamsConsole(this WebApplication app)
    {
        var assets = ConsoleAssets.Load();
        app.MapGet("/", (HttpContext context) => WantsHtml(context.Request)
            ? Results.Redirect(Path + "/")
            : throw Model.Meta.ApiErrors.PathNotFound());
        app.MapGet(Path + "/{**file}", (HttpContext context, string? file) => Serve(context, assets, file));
        return app;
    }

    private static IResult Serve(HttpContext context, ConsoleAssets assets, string? file)
    {
        if (string.IsNullOrEmpty(file) && !context.Request.Path.Value!.EndsWith('/'))
        {
            return Results.Redirect(Path + "/");
        }
        // Unknown paths are pages of the single-page console, except names that look like files.
        var asset = assets.Find(string.IsNullOrEmpty(file) ? ConsoleAssets.Index : file)
            ?? (file is not null && file.Contains('.', StringComparison.Ordinal) ? null : assets.Find(ConsoleAssets.Index));
        if (asset is null)
        {
            throw Model.Meta.ApiErrors.PathNotFound();
        }
        var headers = context.Response.Headers;
        headers.CacheControl = "no-cache";
        headers.ETag = asset.ETag;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        if (context.Request.Headers.IfNoneMatch.Contains(asset.ETag))
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }
        return Results.Bytes(asset.Content, asset.ContentType);
    }

    private static bool WantsHtml(HttpRequest request) =>
        request.GetTypedHeaders().Accept.Any(accept => accept.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase));
}
