using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace ImageStreams.Server.Metrics;

/// <summary>
/// Listens to the ImageStreams meters (<c>ImageStreams.*</c>) and writes what they measured in the Prometheus text format,
/// version 0.0.4. Counters become <c>_total</c> counters; up-down counters and gauges become gauges; histograms are not
/// exported. Instrument names map as Prometheus writes them: dots to underscores, a unit of seconds adds <c>_seconds</c>.
/// Process CPU time and resident memory are added, as Prometheus client libraries do.
/// </summary>
public sealed class PrometheusExporter : IDisposable
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>Meters whose name starts with this are exported.</summary>
    public const string MeterPrefix = "ImageStreams.";

    private readonly MeterListener listener = new();
    private readonly object? scope;
    private readonly List<Series> series = [];

    /// <param name="meterFactory">
    /// The host's factory: only its meters are exported, so that several hosts in one process (tests) do not mix. Null
    /// exports every ImageStreams meter.
    /// </param>
    public PrometheusExporter(IMeterFactory? meterFactory = null)
    {
        scope = meterFactory;
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (!instrument.Meter.Name.StartsWith(MeterPrefix, StringComparison.Ordinal) || (scope is not null && instrument.Meter.Scope != scope)
                || KindOf(instrument) is not { } kind)
            {
                return;
            }
            var state = new Series(instrument, NameOf(instrument, kind), kind);
            lock (series)
            {
                series.Add(state);
            }
            l.EnableMeasurementEvents(instrument, state);
        };
        listener.MeasurementsCompleted = (_, state) =>
        {
            lock (series)
            {
                series.Remove((Series)state!);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, state) => ((Series)state!).Record(value, tags));
        listener.SetMeasurementEventCallback<int>((_, value, tags, state) => ((Series)state!).Record(value, tags));
        listener.SetMeasurementEventCallback<double>((_, value, tags, state) => ((Series)state!).Record(value, tags));
        listener.Start();
    }

    /// <summary>Everything measured so far, as a Prometheus scrape answers it.</summary>
    public string Collect()
    {
        Series[] current;
        lock (series)
        {
            current = [.. series];
        }
        foreach (var observable in current.Where(s => s.Observable))
        {
            observable.Clear();
        }
        listener.RecordObservableInstruments();

        var text = new StringBuilder();
        // Several instruments may share a name (one per registry client); Prometheus wants one HELP and TYPE for them.
        foreach (var family in current.GroupBy(s => s.Name).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var first = family.First();
            text.Append("# HELP ").Append(family.Key).Append(' ').Append(EscapeHelp(first.Help)).Append('\n');
            text.Append("# TYPE ").Append(family.Key).Append(' ').Append(first.Kind == Kind.Counter ? "counter" : "gauge").Append('\n');
            var points = family.SelectMany(s => s.Points()).GroupBy(p => p.Labels, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal);
            foreach (var point in points)
            {
                text.Append(family.Key).Append(point.Key).Append(' ').Append(Number(point.Sum(p => p.Value))).Append('\n');
            }
        }
        using var process = Process.GetCurrentProcess();
        text.Append("# HELP process_cpu_seconds_total Total user and system CPU time spent in seconds.\n# TYPE process_cpu_seconds_total counter\n")
            .Append("process_cpu_seconds_total ").Append(Number(process.TotalProcessorTime.TotalSeconds)).Append('\n');
        text.Append("# HELP process_resident_memory_bytes Resident memory size in bytes.\n# TYPE process_resident_memory_bytes gauge\n")
            .Append("process_resident_memory_bytes ").Append(Number(process.WorkingSet64)).Append('\n');
        return text.ToString();
    }

    public void Dispose() => listener.Dispose();

    private enum Kind
    {
        Counter,
        Gauge,
    }

    private static Kind? KindOf(Instrument instrument)
    {
        var type = instrument.GetType();
        if (!type.IsGenericType)
        {
            return null;
        }
        var definition = type.GetGenericTypeDefinition();
        if (definition == typeof(Counter<>) || definition == typeof(ObservableCounter<>))
        {
            return Kind.Counter;
        }
        if (definition == typeof(UpDownCounter<>) || definition == typeof(ObservableUpDownCounter<>) || definition == typeof(ObservableGauge<>)
            || definition == typeof(Gauge<>))
        {
            return Kind.Gauge;
        }
        return null;
    }

    private static string NameOf(Instrument instrument, Kind kind)
    {
        var name = new StringBuilder(instrument.Name.Length + 16);
        foreach (var c in instrument.Name)
        {
            name.Append(char.IsAsciiLetterOrDigit(c) || c is '_' or ':' ? c : '_');
        }
        var suffix = instrument.Unit switch
        {
            "s" => "_seconds",
            "By" => "_bytes",
            _ => "",
        };
        if (suffix.Length > 0 && !name.ToString().EndsWith(suffix, StringComparison.Ordinal))
        {
            name.Append(suffix);
        }
        if (kind == Kind.Counter)
        {
            name.Append("_total");
        }
        return name.ToString();
    }

    private static string Number(double value) => value switch
    {
        double.NaN => "NaN",
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    private static string EscapeHelp(string? help) =>
        (help ?? "").Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static string EscapeLabel(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    /// <summary>
    /// One instrument's values by label set. Synchronous counters add up; observable instruments and gauges keep the
    /// last value.
    /// </summary>
    private sealed class Series(Instrument instrument, string name, Kind kind)
    {
        private readonly Dictionary<string, double> values = new(StringComparer.Ordinal);
        private readonly bool adds = instrument is not Gauge<long> and not Gauge<int> and not Gauge<double> && !instrument.IsObservable;

        public string Name { get; } = name;

        public Kind Kind { get; } = kind;

        public string? Help => instrument.Description;

        public bool Observable => instrument.IsObservable;

        public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var labels = Labels(tags);
            lock (values)
            {
                values[labels] = adds ? values.GetValueOrDefault(labels) + value : value;
            }
        }

        public void Clear()
        {
            lock (values)
            {
                values.Clear();
            }
        }

        public List<(string Labels, double Value)> Points()
        {
            lock (values)
            {
                return values.Select(v => (v.Key, v.Value)).ToList();
            }
        }

        /// <summary>The label set as written after the name: <c>{a="1",b="2"}</c>, sorted by name; empty without labels.</summary>
        private static string Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            if (tags.Length == 0)
            {
                return "";
            }
            var sorted = tags.ToArray();
            Array.Sort(sorted, (a, b) => string.CompareOrdinal(a.Key, b.Key));
            var text = new StringBuilder("{");
            foreach (var (key, value) in sorted)
            {
                if (text.Length > 1)
                {
                    text.Append(',');
                }
                foreach (var c in key)
                {
                    text.Append(char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_');
                }
                text.Append("=\"").Append(EscapeLabel(Convert.ToString(value, CultureInfo.InvariantCulture) ?? "")).Append('"');
            }
            return text.Append('}').ToString();
        }
    }
}
