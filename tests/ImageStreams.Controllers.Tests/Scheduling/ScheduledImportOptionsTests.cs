using ImageStreams.Controllers.Scheduling;

namespace ImageStreams.Controllers.Tests.Scheduling;

public sealed class ScheduledImportOptionsTests
{
    [Theory]
    [InlineData("15m", 900_000)]
    [InlineData("2s", 2_000)]
    [InlineData("1h30m", 5_400_000)]
    [InlineData("1m30s", 90_000)]
    [InlineData("1500ms", 1_500)]
    [InlineData(" 10s ", 10_000)]
    public void Durations_ReadFlagValues(string text, long milliseconds) =>
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), Durations.Parse(text));

    [Theory]
    [InlineData("")]
    [InlineData("15")]
    [InlineData("m")]
    [InlineData("-1s")]
    [InlineData("1.5m")]
    [InlineData("3d")]
    [InlineData("10s5")]
    public void Durations_RejectOtherText_WithAnExample(string text)
    {
        var error = Assert.Throws<FormatException>(() => Durations.Parse(text));
        Assert.Contains("15m", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(900_000, "15m")]
    [InlineData(5_400_000, "1h30m")]
    [InlineData(2_000, "2s")]
    [InlineData(1_500, "1500ms")]
    [InlineData(90_000_000, "25h")]
    public void Durations_FormatAsTheyAreParsed(long milliseconds, string text)
    {
        Assert.Equal(text, Durations.Format(TimeSpan.FromMilliseconds(milliseconds)));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), Durations.Parse(text));
    }

    [Fact]
    public void Defaults_AreValid_AndCheckEveryFifteenMinutes()
    {
        var options = new ScheduledImportOptions();
        options.Validate();
        Assert.True(options.Enabled);
        Assert.Equal(TimeSpan.FromMinutes(15), options.Interval);
    }

    [Theory]
    [InlineData("--scheduled-import-interval")]
    [InlineData("--scheduled-import-max-per-minute")]
    [InlineData("--scheduled-import-registry-concurrency")]
    [InlineData("--scheduled-import-registry-rate")]
    [InlineData("--scheduled-import-max-backoff")]
    public void Validate_NamesTheFlagOfABadValue(string flag)
    {
        var options = flag switch
        {
            "--scheduled-import-interval" => new ScheduledImportOptions { Interval = TimeSpan.FromMilliseconds(500) },
            "--scheduled-import-max-per-minute" => new ScheduledImportOptions { MaxChecksPerMinute = 0 },
            "--scheduled-import-registry-concurrency" => new ScheduledImportOptions { MaxConcurrentChecksPerRegistry = 0 },
            "--scheduled-import-registry-rate" => new ScheduledImportOptions { MaxChecksPerSecondPerRegistry = 0 },
            _ => new ScheduledImportOptions { MaxBackoff = TimeSpan.FromSeconds(5) },
        };
        var error = Assert.Throws<ArgumentException>(options.Validate);
        Assert.StartsWith(flag, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Backoff_DoublesFromTheInitialWait_UpToTheCap()
    {
        var options = new ScheduledImportOptions { InitialBackoff = TimeSpan.FromSeconds(10), MaxBackoff = TimeSpan.FromMinutes(1) };
        Assert.Equal([10, 20, 40, 60, 60], Enumerable.Range(1, 5).Select(n => (int)options.Backoff(n).TotalSeconds));
        Assert.Equal(TimeSpan.FromMinutes(1), options.Backoff(1000));
    }
}
