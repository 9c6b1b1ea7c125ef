using System.Diagnostics.Metrics;
using ImageStreams.Controllers.Import;
using ImageStreams.Controllers.Scheduling;
using ImageStreams.Controllers.Tags;
using ImageStreams.Controllers.Triggers;
using ImageStreams.Registry.Client;
using ImageStreams.Registry.Inspection;
using ImageStreams.Resources;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace ImageStreams.Controllers;

public static class ControllersServiceCollectionExtensions
{
    /// <summary>
    /// Registers imports (the registry client, the importer, the <c>imagestreamimports</c> API handler) and the
    /// controllers that run in the background: spec-driven import, tag tracking and scheduled import. Needs the resources
    /// of <c>AddImageStreamsResources</c>.
    /// </summary>
    public static IServiceCollection AddImageStreamsControllers(
        this IServiceCollection services, ImportOptions importOptions, RegistryClientOptions registryOptions, ImageInspectorOptions? inspectorOptions = null,
        ScheduledImportOptions? scheduledImportOptions = null)
    {
        importOptions.Validate();
        registryOptions.Validate();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(importOptions);
        services.AddMetrics();
        services.TryAddSingleton(registryOptions.AccessPolicy);
        services.TryAddSingleton<IRegistryClient>(sp => new RegistryClient(registryOptions, sp.GetRequiredService<TimeProvider>(), sp.GetService<IMeterFactory>()));
        services.TryAddSingleton<IImageInspector>(sp => new ImageInspector(sp.GetRequiredService<IRegistryClient>(), inspectorOptions));
        services.TryAddSingleton<ImageStreamImporter>();
        services.AddSingleton<IResourceHandler, ImageStreamImportHandler>();
        services.AddHostedService<ImportController>();
        services.AddHostedService<TagTrackingController>();
        services.AddScheduledImport(scheduledImportOptions ?? new ScheduledImportOptions());
        return services;
    }

    /// <summary>
    /// Registers the trigger controllers: builds started by moved tags and by the creation of BuildConfigs, webhooks of
    /// annotated image streams, and the images of stored workloads with image change triggers. Needs the resources and an <see cref="IRegistryHost"/> (to recognise our own pull specs in Dockerfiles).
    /// </summary>
    public static IServiceCollection AddBuildTriggers(this IServiceCollection services, TriggerOptions? options = null)
    {
        options ??= new TriggerOptions();
        options.Validate();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(options);
        services.TryAddSingleton<BuildTriggerController>();
        services.AddHostedService(sp => sp.GetRequiredService<BuildTriggerController>());
        services.AddHostedService(sp => new WebhookController(
            sp.GetRequiredService<ResourceSet>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<WebhookController>>()));
        services.TryAddSingleton<WorkloadTriggerController>();
        services.AddHostedService(sp => sp.GetRequiredService<WorkloadTriggerController>());
        return services;
    }
}
