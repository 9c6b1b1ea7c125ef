using System.Globalization;

namespace ImageStreams.Server.Api.Tables;

/// <summary>Durations as kubectl and oc print them.</summary>
internal static class HumanTime
{
    /// <summary>Kubernetes' short form for AGE: <c>45s</c>, <c>3m20s</c>, <c>5h10m</c>, <c>12d</c>, <c>2y30d</c>.</summary>
    public static string ShortAge(TimeSpan age)
    {
        var seconds = (long)age.TotalSeconds;
        if (seconds < -1)
        {
            return "<invalid>";
        }
        if (seconds < 0)
        {
            return "0s";
        }
        if (seconds < 120)
        {
            return F($"{seconds}s");
        }
        var minutes = seconds / 60;
        if (minutes < 10)
        {
            return seconds % 60 == 0 ? F($"{minutes}m") : F($"{minutes}m{seconds % 60}s");
        }
        if (minutes < 180)
        {
            return F($"{minutes}m");
        }
        var hours = minutes / 60;
        if (hours < 8)
        {
            return minutes % 60 == 0 ? F($"{hours}h") : F($"{hours}h{minutes % 60}m");
        }
        if (hours < 48)
        {
            return F($"{hours}h");
        }
        var days = hours / 24;
        if (hours < 24 * 8)
        {
            return hours % 24 == 0 ? F($"{days}d") : F($"{days}d{hours % 24}h");
        }
        if (days < 365 * 2)
        {
            return F($"{days}d");
        }
        if (days < 365 * 8)
        {
            return days % 365 == 0 ? F($"{days / 365}y") : F($"{days / 365}y{days % 365}d");
        }
        return F($"{days / 365}y");
    }

    /// <summary>oc's relative form for UPDATED: <c>Less than a second</c>, <c>5 minutes</c>, <c>About an hour</c>, <c>3 days</c>.</summary>
    public static string Relative(TimeSpan age)
    {
        var seconds = (long)age.TotalSeconds;
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
            return F($"{seconds} seconds");
        }
        var minutes = (long)age.TotalMinutes;
        if (minutes == 1)
        {
            return "About a minute";
        }
        if (minutes < 60)
        {
            return F($"{minutes} minutes");
        }
        var hours = (long)Math.Round(age.TotalHours);
        return hours switch
        {
            1 => "About an hour",
            < 48 => F($"{hours} hours"),
            < 24 * 7 * 2 => F($"{hours / 24} days"),
            < 24 * 30 * 2 => F($"{hours / 24 / 7} weeks"),
            < 24 * 365 * 2 => F($"{hours / 24 / 30} months"),
            _ => F($"{(long)age.TotalHours / 24 / 365} years"),
        };
    }

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
