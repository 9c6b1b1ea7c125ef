using ImageStreams.Controllers.Import;
using ImageStreams.Resources;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace ImageStreams.Controllers.Builds;

public static class BuildsServiceCollectionExtensions
{
    /// <summary>
    /// Registers the build controller and what it needs besides the resources and the registry client of
    /// <c>AddImageStreamsControllers</c>: an <see cref="Builder.IImageBuilder"/> and an <see cref="Builder.ISourceFetcher"/>
    /// (the image builders' registration), and optionally an <see cref="IIntegratedRegistryCredentials"/> (anonymous by default).
    /// </summary>
    public static IServiceCollection AddImageStreamsBuilds(this IServiceCollection services, BuildOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        services.TryAddSingleton(options);
        services.TryAddSingleton(new BuildFiles(options.Directory));
        services.TryAddSingleton<IIntegratedRegistryCredentials, AnonymousIntegratedRegistryCredentials>();
        services.TryAddSingleton(sp => new PullSecrets(sp.GetRequiredService<ResourceSet>().Secrets));
        services.TryAddSingleton<BuildImages>();
        services.TryAddSingleton<BuildController>();
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<BuildController>());
        return services;
    }
}
