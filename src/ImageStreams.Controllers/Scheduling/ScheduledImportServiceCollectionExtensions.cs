using System.Diagnostics.Metrics;
using ImageStreams.Controllers.Import;
using ImageStreams.Controllers.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ImageStreams.Controllers.Scheduling;

public static class ScheduledImportServiceCollectionExtensions
{
    /// <summary>
    /// Registers the scheduled import: the schedule (read through <see cref="IImageStreamSchedules"/>, told of imports
    /// through <see cref="ITagImportObserver"/>), its metrics and, unless <see cref="ScheduledImportOptions.Enabled"/> is
    /// false, the controller that runs the checks. Needs the importer and resources of <c>AddImageStreamsControllers</c>.
    /// </summary>
    public static IServiceCollection AddScheduledImport(this IServiceCollection services, ScheduledImportOptions options)
    {
        options.Validate();
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(options);
        services.TryAddSingleton(sp => new ScheduledImportMetrics(sp.GetService<IMeterFactory>()));
        services.TryAddSingleton<ImportSchedule>();
        services.TryAddSingleton<IImageStreamSchedules>(sp => sp.GetRequiredService<ImportSchedule>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ITagImportObserver, ImportSchedule>(sp => sp.GetRequiredService<ImportSchedule>()));
        if (options.Enabled)
        {
            services.AddHostedService<ScheduledImportController>();
        }
        return services;
    }
}
