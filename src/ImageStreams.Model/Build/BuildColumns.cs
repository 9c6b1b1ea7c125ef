using System.Globalization;

namespace ImageStreams.Model.Build;

/// <summary>The cells oc prints for builds and BuildConfigs (FROM, STATUS, DURATION), shared by the server's tables and the CLI.</summary>
public static class BuildColumns
{
    /// <summary>Digits of a commit shown after "Git@".</summary>
    public const int ShortCommitLength = 7;

    /// <summary>"Git", "Git@ref" or "Git@commit" (a build's checked-out commit), "Binary", "Dockerfile".</summary>
    public static string From(BuildSource source, SourceRevision? revision)
    {
        var type = source.Type ?? BuildSourceTypes.None;
        if (source.Git is null)
        {
            return type;
        }
        var commit = revision?.Git?.Commit;
        if (!string.IsNullOrEmpty(commit))
        {
            return $"{BuildSourceTypes.Git}@{(commit.Length > ShortCommitLength ? commit[..ShortCommitLength] : commit)}";
        }
        return string.IsNullOrEmpty(source.Git.Ref) ? BuildSourceTypes.Git : $"{BuildSourceTypes.Git}@{source.Git.Ref}";
    }

    /// <summary>The phase, with the reason in parentheses when there is one: "Failed (FetchSourceFailed)".</summary>
    public static string Status(BuildStatus status) =>
        string.IsNullOrEmpty(status.Reason) ? status.Phase : $"{status.Phase} ({status.Reason})";

    /// <summary>The run time as Go prints a duration rounded to the second ("1m5s"); empty until the build ended.</summary>
    public static string Duration(BuildStatus status) => status.Duration is { } nanos ? Format(TimeSpan.FromTicks(nanos / 100)) : "";

    public static string Format(TimeSpan duration)
    {
        var seconds = (long)Math.Round(duration.TotalSeconds, MidpointRounding.AwayFromZero);
        var hours = seconds / 3600;
        var minutes = seconds % 3600 / 60;
        var rest = seconds % 60;
        var text = hours > 0 ? $"{hours}h{minutes}m{rest}s" : minutes > 0 ? $"{minutes}m{rest}s" : $"{rest}s";
        return text.ToString(CultureInfo.InvariantCulture);
    }
}
