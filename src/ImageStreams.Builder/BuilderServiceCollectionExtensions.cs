using System.Diagnostics.Metrics;
using ImageStreams.Builder.Buildah;
using ImageStreams.Builder.Native;
using ImageStreams.Builder.Sources;
using ImageStreams.Registry.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ImageStreams.Builder;

public static class BuilderServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IImageBuilder"/> (native when the Dockerfile allows it, else buildah) and <see cref="ISourceFetcher"/>.
    /// Shares the host's <see cref="IRegistryClient"/> when one is registered.
    /// </summary>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public static IServiceCollection AddImageBuilders(this IServiceCollection services, BuilderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        services.AddSingleton(options);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IRegistryClient>(sp => new RegistryClient(null, sp.GetRequiredService<TimeProvider>(), sp.GetService<IMeterFactory>()));
        services.TryAddSingleton(sp => new NativeImageBuilder(sp.GetRequiredService<IRegistryClient>(), options));
        services.TryAddSingleton(sp => new BuildahImageBuilder(sp.GetRequiredService<IRegistryClient>(), options));
        services.TryAddSingleton<IImageBuilder>(sp => new ImageBuilderDispatcher(sp.GetRequiredService<NativeImageBuilder>(), sp.GetRequiredService<BuildahImageBuilder>()));
        services.TryAddSingleton<ISourceFetcher>(_ => new SourceFetcher(options));
        return services;
    }
}
