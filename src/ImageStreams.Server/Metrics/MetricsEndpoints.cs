using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace ImageStreams.Server.Metrics;

/// <summary><c>GET /metrics</c>: the server's measurements for Prometheus (see <see cref="PrometheusExporter"/>).</summary>
public static class MetricsEndpoints
{
    public const string Path = "/metrics";

    /// <summary>Starts listening to the meters (call before the app starts, so nothing measured is missed) and maps <see cref="Path"/>.</summary>
    public static WebApplication MapImageStreamsMetrics(this WebApplication app)
    {
        var exporter = new PrometheusExporter(app.Services.GetService<IMeterFactory>());
        app.Lifetime.ApplicationStopped.Register(exporter.Dispose);
        app.MapGet(Path, (HttpContext context) =>
        {
            context.Response.ContentType = PrometheusExporter.ContentType;
            return context.Response.WriteAsync(exporter.Collect(), context.RequestAborted);
        });
        return app;
    }
}
