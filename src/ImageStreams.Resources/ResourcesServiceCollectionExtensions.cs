using ImageStreams.Store;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ImageStreams.Resources;

public static class ResourcesServiceCollectionExtensions
{
    /// <summary>
    /// Registers the <see cref="ResourceSet"/> and a typed <see cref="IResourceClient{T}"/> per resource.
    /// Needs an <see cref="IObjectStore"/> and an <see cref="IRegistryHost"/>. Handlers of further resources (import
    /// requests, mappings) are registered as <see cref="IResourceHandler"/> services; the API serves them beside, or in
    /// place of, <see cref="ResourceSet.Handlers"/>.
    /// </summary>
    public static IServiceCollection AddImageStreamsResources(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new ResourceSet(
            sp.GetRequiredService<IObjectStore>(), sp.GetRequiredService<IRegistryHost>(), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => sp.GetRequiredService<ResourceSet>().Namespaces);
        services.TryAddSingleton(sp => sp.GetRequiredService<ResourceSet>().Secrets);
        services.TryAddSingleton(sp => sp.GetRequiredService<ResourceSet>().ImageStreams);
        services.TryAddSingleton(sp => sp.GetRequiredService<ResourceSet>().Images);
        services.TryAddSingleton(sp => sp.GetRequiredService<ResourceSet>().ImageStreamTags);
        services.TryAddSingleton(sp => sp.GetRequiredService<ResourceSet>().ImageStreamImages);
        services.TryAddSingleton(sp => sp.GetRequiredService<ResourceSet>().BuildConfigs);
        services.TryAddSingleton(sp => sp.GetRequiredService<ResourceSet>().Builds);
        services.TryAddSingleton(sp => sp.GetRequiredService<ResourceSet>().BuildInstantiator);
        return services;
    }
}
