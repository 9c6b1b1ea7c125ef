using System.Diagnostics.Metrics;
using ImageStreams.Server.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace ImageStreams.Server.Tests.Metrics;

public sealed class PrometheusExporterTests : IDisposable
{
    private readonly ServiceProvider services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    private IMeterFactory Factory => services.GetRequiredService<IMeterFactory>();

    [Fact]
    public void Counters_AreWrittenAsTotals_PerLabelSet_WithHelpAndType()
    {
        using var exporter = new PrometheusExporter(Factory);
        var meter = Factory.Create("ImageStreams.Test");
        var counter = meter.CreateCounter<long>("imagestreams.test.requests", "{request}", "Requests sent");
        counter.Add(2, new("method", "HEAD"), new("registry", "a:5000"));
        counter.Add(1, new("registry", "a:5000"), new("method", "HEAD"));
        counter.Add(1, new("method", "GET"), new("registry", "a:5000"));

        var text = exporter.Collect();

        Assert.Contains("# HELP imagestreams_test_requests_total Requests sent\n# TYPE imagestreams_test_requests_total counter\n", text, StringComparison.Ordinal);
        Assert.Contains("imagestreams_test_requests_total{method=\"GET\",registry=\"a:5000\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("imagestreams_test_requests_total{method=\"HEAD\",registry=\"a:5000\"} 3\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void ObservableGauges_ReportTheirCurrentValue_AndSecondsGetTheirSuffix()
    {
        using var exporter = new PrometheusExporter(Factory);
        var meter = Factory.Create("ImageStreams.Test");
        var lag = 1.5;
        meter.CreateObservableGauge("imagestreams.test.lag", () => lag, "s", "Lag");
        meter.CreateObservableGauge("imagestreams.test.queue", () => 7, "{check}", "Queue");

        Assert.Contains("# TYPE imagestreams_test_lag_seconds gauge\nimagestreams_test_lag_seconds 1.5\n", exporter.Collect(), StringComparison.Ordinal);
        lag = 0;
        var text = exporter.Collect();
        Assert.Contains("imagestreams_test_lag_seconds 0\n", text, StringComparison.Ordinal);
        Assert.Contains("imagestreams_test_queue 7\n", text, StringComparison.Ordinal);
        Assert.Contains("process_resident_memory_bytes ", text, StringComparison.Ordinal);
    }

    [Fact]
    public void LabelValues_AreEscaped()
    {
        using var exporter = new PrometheusExporter(Factory);
        var counter = Factory.Create("ImageStreams.Test").CreateCounter<long>("imagestreams.test.errors");
        counter.Add(1, new KeyValuePair<string, object?>("message", "a \"quoted\" back\\slash\nnew line"));

        Assert.Contains("imagestreams_test_errors_total{message=\"a \\\"quoted\\\" back\\\\slash\\nnew line\"} 1\n", exporter.Collect(), StringComparison.Ordinal);
    }

    [Fact]
    public void OnlyTheMetersOfItsOwnHost_AndOfImageStreams_AreExported()
    {
        using var other = new ServiceCollection().AddMetrics().BuildServiceProvider();
        using var exporter = new PrometheusExporter(Factory);
        other.GetRequiredService<IMeterFactory>().Create("ImageStreams.Test").CreateCounter<long>("imagestreams.test.other").Add(1);
        Factory.Create("Microsoft.AspNetCore.Hosting").CreateCounter<long>("http.server.requests").Add(1);

        var text = exporter.Collect();

        Assert.DoesNotContain("imagestreams_test_other", text, StringComparison.Ordinal);
        Assert.DoesNotContain("http_server", text, StringComparison.Ordinal);
    }

    public void Dispose() => services.Dispose();
}
