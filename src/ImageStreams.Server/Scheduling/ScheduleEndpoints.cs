using ImageStreams.Model.Image;
using ImageStreams.Controllers.Scheduling;
using ImageStreams.Model.Meta;
using ImageStreams.Model.Serialization;
using ImageStreams.Resources;
using ImageStreams.Server.Api.Content;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace ImageStreams.Server.Scheduling;

/// <summary>
/// <c>GET /apis/image.openshift.io/v1/namespaces/{ns}/imagestreams/{name}/schedule</c>: the scheduled-import state of a
/// stream's tags (<see cref="ImageStreamSchedule"/>), read-only, for <c>isctl describe is</c>. A missing stream is a
/// NotFound Status; a server without scheduled imports answers <c>enabled: false</c>.
/// </summary>
public static class ScheduleEndpoints
{
    public const string Route = "/apis/image.openshift.io/v1/namespaces/{ns}/imagestreams/{name}/schedule";

    public static WebApplication MapImageStreamSchedules(this WebApplication app)
    {
        app.MapGet(Route, async (HttpContext context, string ns, string name) =>
        {
            var services = context.RequestServices;
            await services.GetRequiredService<ResourceSet>().ImageStreams.GetAsync(ns, name, context.RequestAborted).ConfigureAwait(false);
            var schedule = services.GetService<IImageStreamSchedules>()?.Get(ns, name)
                ?? new ImageStreamSchedule
                {
                    Metadata = new ObjectMeta { Name = name, Namespace = ns },
                    Now = services.GetRequiredService<TimeProvider>().GetUtcNow(),
                };
            await Responses.WriteAsync(context, StatusCodes.Status200OK, ResourceJson.ToNode(schedule)).ConfigureAwait(false);
        });
        return app;
    }
}
