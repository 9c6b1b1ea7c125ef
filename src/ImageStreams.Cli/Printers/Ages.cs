using System.Globalization;

namespace ImageStreams.Cli.Printers;

/// <summary>Elapsed times the way oc and kubectl print them.</summary>
internal static class Ages
{
    /// <summary>
    /// oc's form, used by describe and the UPDATED column ("Less than a second", "5 seconds", "About a minute",
    /// "2 hours", "3 days"): the rules of docker/go-units' HumanDuration.
    /// </summary>
    public static string Human(TimeSpan elapsed)
    {
        var seconds = (long)elapsed.TotalSeconds;
        if (seconds < 1)
        {
            return "Less than a second";
        }
        if (seconds == 1)
        {
            return "1 second";
        }
        if (seconds < 60)
        {
            return Invariant($"{seconds} seconds");
        }
        var minutes = (long)elapsed.TotalMinutes;
        if (minutes == 1)
        {
            return "About a minute";
        }
        if (minutes < 60)
        {
            return Invariant($"{minutes} minutes");
        }
        var hours = (long)Math.Round(elapsed.TotalHours, MidpointRounding.AwayFromZero);
        if (hours == 1)
        {
            return "About an hour";
        }
        if (hours < 48)
        {
            return Invariant($"{hours} hours");
        }
        if (hours < 24 * 7 * 2)
        {
            return Invariant($"{hours / 24} days");
        }
        if (hours < 24 * 30 * 2)
        {
            return Invariant($"{hours / 24 / 7} weeks");
        }
        if (hours < 24 * 365 * 2)
        {
            return Invariant($"{hours / 24 / 30} months");
        }
        return Invariant($"{(long)elapsed.TotalHours / 24 / 365} years");
    }

    /// <summary>"2 hours ago".</summary>
    public static string Ago(DateTimeOffset time, DateTimeOffset now) => Human(now - time) + " ago";

    /// <summary>A time to come: "in 5 minutes", or "now" once it is due.</summary>
    public static string In(DateTimeOffset time, DateTimeOffset now) =>
        time <= now ? "now" : "in " + Human(time - now).ToLowerInvariant();

    /// <summary>
    /// kubectl's AGE column ("45s", "5m10s", "3h4m", "2d"): about two significant units, the rules of
    /// apimachinery's HumanDuration.
    /// </summary>
    public static string Short(TimeSpan elapsed)
    {
        var seconds = (long)Math.Floor(elapsed.TotalSeconds);
        if (seconds < -1)
        {
            return "<invalid>";
        }
        if (seconds < 0)
        {
            return "0s";
        }
        if (seconds < 60 * 2)
        {
            return Invariant($"{seconds}s");
        }
        var minutes = seconds / 60;
        if (minutes < 10)
        {
            return seconds % 60 == 0 ? Invariant($"{minutes}m") : Invariant($"{minutes}m{seconds % 60}s");
        }
        if (minutes < 60 * 3)
        {
            return Invariant($"{minutes}m");
        }
        var hours = minutes / 60;
        if (hours < 8)
        {
            return minutes % 60 == 0 ? Invariant($"{hours}h") : Invariant($"{hours}h{minutes % 60}m");
        }
        if (hours < 48)
        {
            return Invariant($"{hours}h");
        }
        if (hours < 24 * 8)
        {
            return hours % 24 == 0 ? Invariant($"{hours / 24}d") : Invariant($"{hours / 24}d{hours % 24}h");
        }
        if (hours < 24 * 365 * 2)
        {
            return Invariant($"{hours / 24}d");
        }
        var days = hours / 24;
        if (hours < 24 * 365 * 8)
        {
            return days % 365 == 0 ? Invariant($"{days / 365}y") : Invariant($"{days / 365}y{days % 365}d");
        }
        return Invariant($"{days / 365}y");
    }

    /// <summary>The AGE cell of an object: "&lt;unknown&gt;" without a creation time.</summary>
    public static string Age(DateTimeOffset? created, DateTimeOffset now) => created is null ? "<unknown>" : Short(now - created.Value);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
