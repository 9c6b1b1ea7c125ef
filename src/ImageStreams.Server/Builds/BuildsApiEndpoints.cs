using ImageStreams.Server.Api;
using Microsoft.Extensions.DependencyInjection;

namespace ImageStreams.Server.Builds;

/// <summary>The build subresources of the API: instantiate, instantiatebinary and the logs.</summary>
internal static class BuildsApiEndpoints
{
    public static IServiceCollection AddImageStreamsBuildsApi(this IServiceCollection services)
    {
        services.AddSingleton<BuildLogStreamer>();
        services.AddSingleton<ISubresourceHandler, InstantiateHandler>();
        services.AddSingleton<ISubresourceHandler, InstantiateBinaryHandler>();
        services.AddSingleton<ISubresourceHandler, BuildLogHandler>();
        services.AddSingleton<ISubresourceHandler, BuildConfigLogHandler>();
        return services;
    }
}
