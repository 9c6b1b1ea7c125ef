namespace ImageStreams.Controllers.Scheduling;

/// <summary>
/// Settings of the scheduled import (tags with <c>importPolicy.scheduled: true</c>), one per <c>isctl serve</c> flag.
/// Validated at start-up by <see cref="Validate"/>.
/// </summary>
public sealed class ScheduledImportOptions
{
    /// <summary>The shortest interval accepted; shorter ones would only load registries.</summary>
    public static readonly TimeSpan MinimumInterval = TimeSpan.FromSeconds(1);

    /// <summary>False turns scheduled checks off (<c>--disable-scheduled-import</c>). Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often each scheduled tag is checked (<c>--scheduled-import-interval</c>). Default 15 min, at least 1 s.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Checks started per minute over all registries (<c>--scheduled-import-max-per-minute</c>). Default 12,000: 100,000 tags
    /// at the default interval need 6,667.
    /// </summary>
    public int MaxChecksPerMinute { get; set; } = 12_000;

    /// <summary>Checks in flight at once over all registries (<c>--scheduled-import-concurrency</c>). Default 64.</summary>
    public int MaxConcurrentChecks { get; set; } = 64;

    /// <summary>Checks in flight at once to one registry (<c>--scheduled-import-registry-concurrency</c>). Default 8.</summary>
    public int MaxConcurrentChecksPerRegistry { get; set; } = 8;

    /// <summary>
    /// Checks started per second to one registry (<c>--scheduled-import-registry-rate</c>). Default 200: 100,000 tags of one
    /// registry at the default interval need 111.
    /// </summary>
    public double MaxChecksPerSecondPerRegistry { get; set; } = 200;

    /// <summary>The wait before the first retry of a failed check (<c>--scheduled-import-backoff</c>); it doubles with each further failure. Default 10 s.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The longest wait between retries of a failing tag (<c>--scheduled-import-max-backoff</c>). Default 15 min.</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How many image streams are read into the schedule at once after a change. Default 2.</summary>
    public int Workers { get; set; } = 2;

    /// <exception cref="ArgumentException">A setting is out of range; the message names its flag.</exception>
    public void Validate()
    {
        Require(Interval >= MinimumInterval, $"--scheduled-import-interval must be at least 1s (got {Durations.Format(Interval)})");
        Require(MaxChecksPerMinute >= 1, "--scheduled-import-max-per-minute must be at least 1");
        Require(MaxConcurrentChecks >= 1, "--scheduled-import-concurrency must be at least 1");
        Require(MaxConcurrentChecksPerRegistry >= 1, "--scheduled-import-registry-concurrency must be at least 1");
        Require(MaxChecksPerSecondPerRegistry > 0 && double.IsFinite(MaxChecksPerSecondPerRegistry), "--scheduled-import-registry-rate must be a positive number");
        Require(InitialBackoff >= MinimumInterval, $"--scheduled-import-backoff must be at least 1s (got {Durations.Format(InitialBackoff)})");
        Require(MaxBackoff >= InitialBackoff, "--scheduled-import-max-backoff must be at least --scheduled-import-backoff");
        Require(Workers >= 1, "scheduled import workers must be at least 1");
    }

    /// <summary>The wait after the <paramref name="failures"/>-th failure in a row: doubling from <see cref="InitialBackoff"/>, capped at <see cref="MaxBackoff"/>.</summary>
    public TimeSpan Backoff(int failures)
    {
        var doublings = Math.Clamp(failures - 1, 0, 30);
        var ticks = Math.Min((double)MaxBackoff.Ticks, InitialBackoff.Ticks * Math.Pow(2, doublings));
        return TimeSpan.FromTicks((long)ticks);
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new ArgumentException(message);
        }
    }
}
