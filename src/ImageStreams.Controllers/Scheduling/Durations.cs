using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace ImageStreams.Controllers.Scheduling;

/// <summary>
/// Durations as command-line flags write them, in Go's style: a sequence of a whole number and a unit,
/// <c>h</c>, <c>m</c>, <c>s</c> or <c>ms</c>, such as <c>15m</c>, <c>2s</c> or <c>1h30m</c>.
/// </summary>
public static class Durations
{
    /// <exception cref="FormatException">The text is not a duration.</exception>
    public static TimeSpan Parse(string text) =>
        TryParse(text, out var duration, out var error) ? duration : throw new FormatException(error);

    public static bool TryParse(string? text, out TimeSpan duration) => TryParse(text, out duration, out _);

    public static bool TryParse(string? text, out TimeSpan duration, [NotNullWhen(false)] out string? error)
    {
        duration = TimeSpan.Zero;
        error = null;
        var value = text?.Trim() ?? "";
        if (value.Length == 0)
        {
            error = "a duration is empty: use a number and a unit, such as 15m, 2s or 1h30m";
            return false;
        }
        var ticks = 0L;
        var i = 0;
        while (i < value.Length)
        {
            var start = i;
            while (i < value.Length && char.IsAsciiDigit(value[i]))
            {
                i++;
            }
            var unitStart = i;
            while (i < value.Length && char.IsAsciiLetter(value[i]))
            {
                i++;
            }
            var unit = value[unitStart..i];
            if (unitStart == start || !long.TryParse(value.AsSpan(start, unitStart - start), NumberStyles.None, CultureInfo.InvariantCulture, out var number)
                || UnitTicks(unit) is not { } perUnit)
            {
                error = $"\"{text}\" is not a duration: use whole numbers with the units h, m, s or ms, such as 15m, 2s or 1h30m";
                return false;
            }
            try
            {
                ticks = checked(ticks + checked(number * perUnit));
            }
            catch (OverflowException)
            {
                error = $"\"{text}\" is too long a duration";
                return false;
            }
        }
        duration = TimeSpan.FromTicks(ticks);
        return true;
    }

    /// <summary>The shortest text <see cref="Parse"/> reads back as <paramref name="duration"/>: <c>15m</c>, <c>1h30m</c>, <c>1500ms</c>.</summary>
    public static string Format(TimeSpan duration)
    {
        if (duration <= TimeSpan.Zero)
        {
            return "0s";
        }
        if (duration.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            return $"{(long)duration.TotalMilliseconds}ms";
        }
        var text = new StringBuilder();
        var hours = (long)duration.TotalHours;
        if (hours > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"{hours}h");
        }
        if (duration.Minutes > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"{duration.Minutes}m");
        }
        if (duration.Seconds > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"{duration.Seconds}s");
        }
        return text.ToString();
    }

    private static long? UnitTicks(string unit) => unit switch
    {
        "h" => TimeSpan.TicksPerHour,
        "m" => TimeSpan.TicksPerMinute,
        "s" => TimeSpan.TicksPerSecond,
        "ms" => TimeSpan.TicksPerMillisecond,
        _ => null,
    };
}
