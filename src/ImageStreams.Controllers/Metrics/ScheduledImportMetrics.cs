using System.Diagnostics.Metrics;

namespace ImageStreams.Controllers.Metrics;

/// <summary>
/// The instruments of the scheduled import, on the <see cref="MeterName"/> meter. Exporters name them in their own
/// style (Prometheus: <c>imagestreams_scheduled_import_checks_total</c>).
/// </summary>
public sealed class ScheduledImportMetrics : IDisposable
{
    public const string MeterName = "ImageStreams.Controllers";

    private readonly Meter meter;
    private readonly bool ownsMeter;
    private readonly Counter<long> checks;
    private readonly Counter<long> tagChanges;

    /// <param name="meterFactory">The host's factory, so that each host's exporter sees only its own instruments; null for a private meter.</param>
    public ScheduledImportMetrics(IMeterFactory? meterFactory = null)
    {
        ownsMeter = meterFactory is null;
        meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        checks = meter.CreateCounter<long>("imagestreams.scheduled_import.checks", "{check}",
            "Scheduled checks of tags, by result (Unchanged, Imported, Failed, RateLimited)");
        tagChanges = meter.CreateCounter<long>("imagestreams.scheduled_import.tag_changes", "{import}",
            "Scheduled imports that moved a tag to a new image");
    }

    public void CheckCompleted(string result) => checks.Add(1, new KeyValuePair<string, object?>("result", result));

    public void TagChanged() => tagChanges.Add(1);

    /// <summary>Publishes the schedule's gauges, read whenever an exporter collects.</summary>
    internal void Observe(Func<int> tags, Func<int> queueLength, Func<int> inFlight, Func<double> oldestDueLagSeconds)
    {
        meter.CreateObservableGauge("imagestreams.scheduled_import.tags", tags, "{tag}", "Tags with a scheduled import");
        meter.CreateObservableGauge("imagestreams.scheduled_import.queue_length", queueLength, "{check}",
            "Checks that are due and wait for a limit, a worker or a registry's Retry-After");
        meter.CreateObservableGauge("imagestreams.scheduled_import.in_flight", inFlight, "{check}", "Checks running");
        meter.CreateObservableGauge("imagestreams.scheduled_import.oldest_due_lag", oldestDueLagSeconds, "s",
            "How long the oldest due check has waited past its time (0 when none waits)");
    }

    public void Dispose()
    {
        if (ownsMeter)
        {
            meter.Dispose();
        }
    }
}
