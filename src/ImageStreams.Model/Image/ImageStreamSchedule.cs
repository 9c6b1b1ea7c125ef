using ImageStreams.Model.Meta;

namespace ImageStreams.Model.Image;

/// <summary>
/// The scheduled-import state of one image stream's tags, as <c>GET .../imagestreams/{name}/schedule</c> serves it
/// (a read-only subresource, as OpenShift's <c>imagestreams/{name}/layers</c>). Times are the server's; <see cref="Now"/>
/// lets a client say "in 3m" without trusting its own clock.
/// </summary>
public sealed record ImageStreamSchedule
{
    public const string KindName = "ImageStreamSchedule";

    public string ApiVersion { get; init; } = ImageApi.GroupVersion;
    public string Kind { get; init; } = KindName;
    public ObjectMeta Metadata { get; init; } = new();

    /// <summary>False when the server runs with <c>--disable-scheduled-import</c>; then <see cref="Tags"/> is empty.</summary>
    public bool Enabled { get; init; }

    /// <summary>The check interval, as the flag writes it (<c>15m</c>).</summary>
    public string Interval { get; init; } = "";

    public DateTimeOffset Now { get; init; }

    /// <summary>Every scheduled tag of the stream, in spec order.</summary>
    public IReadOnlyList<TagSchedule> Tags { get; init; } = [];
}

/// <summary>One scheduled tag.</summary>
public sealed record TagSchedule
{
    public string Tag { get; init; } = "";

    /// <summary>The source checked (<c>spec.tags[].from.name</c>).</summary>
    public string From { get; init; } = "";

    /// <summary>One of <see cref="TagScheduleStates"/>.</summary>
    public string State { get; init; } = TagScheduleStates.Scheduled;

    /// <summary>When the last check finished; null when none has since the server started.</summary>
    public DateTimeOffset? LastChecked { get; init; }

    /// <summary>One of <see cref="CheckResults"/>; null before the first check.</summary>
    public string? LastResult { get; init; }

    /// <summary>When the next check is due (in the past while it waits for a limit); null while a check runs.</summary>
    public DateTimeOffset? NextCheck { get; init; }

    /// <summary>For a failing tag, when it is retried (the same time as <see cref="NextCheck"/>).</summary>
    public DateTimeOffset? NextRetry { get; init; }

    public int ConsecutiveFailures { get; init; }

    /// <summary>The message of the last failure while the tag is failing.</summary>
    public string? LastError { get; init; }

    /// <summary>Set while the tag's registry asked (429) to be left alone.</summary>
    public DateTimeOffset? RegistryPausedUntil { get; init; }
}

/// <summary>What a scheduled tag is doing.</summary>
public static class TagScheduleStates
{
    /// <summary>Waiting for its next check.</summary>
    public const string Scheduled = "Scheduled";

    /// <summary>A check is running.</summary>
    public const string Checking = "Checking";

    /// <summary>Due, and waiting for a limit or for its registry's Retry-After.</summary>
    public const string Delayed = "Delayed";

    /// <summary>Failing, and waiting out its backoff.</summary>
    public const string Backoff = "Backoff";

    /// <summary>Its spec asks for an import the import controller has not made yet; checks wait for it.</summary>
    public const string PendingImport = "PendingImport";
}

/// <summary>Outcomes of one check.</summary>
public static class CheckResults
{
    /// <summary>The HEAD digest was the one the tag has: one request, no write.</summary>
    public const string Unchanged = "Unchanged";

    /// <summary>The digest moved and the tag was imported (its history moved only if its image changed).</summary>
    public const string Imported = "Imported";

    public const string Failed = "Failed";

    /// <summary>The registry answered 429; its tags wait for its Retry-After.</summary>
    public const string RateLimited = "RateLimited";
}
