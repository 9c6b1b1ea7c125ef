using System.Diagnostics.Metrics;
using ImageStreams.Distribution.Access;
using ImageStreams.Distribution.Api;
using ImageStreams.Distribution.Mappings;
using ImageStreams.Distribution.PullThrough;
using ImageStreams.Distribution.Push;
using ImageStreams.Distribution.Repositories;
using ImageStreams.Distribution.Storage;
using ImageStreams.Registry.Client;
using ImageStreams.Resources;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ImageStreams.Distribution;

public static class DistributionServiceCollectionExtensions
{
    /// <summary>
    /// Registers the integrated registry and the <c>imagestreammappings</c> API handler. Needs the resources of
    /// <c>AddImageStreamsResources</c>. The host may register an <see cref="IRegistryAuthorizer"/> (default: allow all),
    /// <see cref="IUpstreamCredentials"/> (default: anonymous pull-through) and an <see cref="IRegistryClient"/> to share.
    /// </summary>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public static IServiceCollection AddImageStreamsDistribution(this IServiceCollection services, DistributionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(options);
        services.TryAddSingleton<IRegistryAuthorizer, AllowAllRegistryAuthorizer>();
        services.TryAddSingleton<IUpstreamCredentials, AnonymousUpstreamCredentials>();
        services.AddMetrics();
        services.TryAddSingleton<IRegistryClient>(sp => new RegistryClient(null, sp.GetRequiredService<TimeProvider>(), sp.GetService<IMeterFactory>()));

        services.AddSingleton(new StorageLayout(options.RootDirectory));
        services.AddSingleton(sp =>
        {
            var blobs = new BlobStore(sp.GetRequiredService<StorageLayout>());
            blobs.DeleteTemporaryFiles();
            return blobs;
        });
        services.AddSingleton<RepositoryLinks>();
        services.AddSingleton<Referrers>();
        services.AddSingleton<UploadSessions>();
        services.AddSingleton<StreamHistory>();
        services.AddSingleton<UpstreamContent>();
        services.AddSingleton<PushedImages>();
        services.TryAddSingleton<ImageStreamMapper>();
        services.AddSingleton<IResourceHandler, ImageStreamMappingHandler>();
        services.AddSingleton<ManifestEndpoints>();
        services.AddSingleton<BlobEndpoints>();
        services.AddSingleton<UploadEndpoints>();
        services.AddSingleton<ListingEndpoints>();
        services.AddSingleton<RegistryEndpoint>();
        services.AddHostedService<UploadSweeper>();
        return services;
    }

    /// <summary>
    /// Serves the registry under <c>/v2</c>. Call it before the API's middleware, so registry requests get the
    /// distribution spec's answers and errors and never the API's.
    /// </summary>
    public static IApplicationBuilder MapImageStreamsDistribution(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var endpoint = app.ApplicationServices.GetRequiredService<RegistryEndpoint>();
        return app.Map(new PathString("/v2"), registry => registry.Run(endpoint.InvokeAsync));
    }
}
