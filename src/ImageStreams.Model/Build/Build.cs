using System.Text.Json.Serialization;
using ImageStreams.Model.Meta;

namespace ImageStreams.Model.Build;

/// <summary>One run of a BuildConfig (build.openshift.io/v1 Build): the inputs fixed at its creation and what became of it.</summary>
public sealed record Build : IResource, IHasStatus
{
    public const string KindName = "Build";

    public string? ApiVersion { get; init; } = BuildApi.GroupVersion;
    public string? Kind { get; init; } = KindName;
    public ObjectMeta Metadata { get; init; } = new();
    public BuildSpec Spec { get; init; } = new();
    public BuildStatus Status { get; init; } = new();

    /// <summary>The BuildConfig this build came from, by its label; null for a build made by hand.</summary>
    [JsonIgnore]
    public string? ConfigName => Metadata.Labels is { } labels && labels.TryGetValue(BuildApi.BuildConfigLabel, out var name) ? name : null;

    /// <summary>The build's number from its annotation; 0 when it has none.</summary>
    [JsonIgnore]
    public long Number => long.TryParse(Metadata.Annotation(BuildApi.BuildNumberAnnotation), System.Globalization.NumberStyles.None,
        System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : 0;
}

public sealed record BuildSpec
{
    public string? ServiceAccount { get; init; }
    public BuildSource Source { get; init; } = new();
    public SourceRevision? Revision { get; init; }
    public BuildStrategy Strategy { get; init; } = new();
    public BuildOutput Output { get; init; } = new();
    public long? CompletionDeadlineSeconds { get; init; }
    public IReadOnlyDictionary<string, string>? NodeSelector { get; init; }
    public IReadOnlyList<BuildTriggerCause>? TriggeredBy { get; init; }
}

/// <summary>Why a build was started.</summary>
public sealed record BuildTriggerCause
{
    public string? Message { get; init; }
    public ImageChangeCause? ImageChangeBuild { get; init; }
}

public sealed record ImageChangeCause
{
    [JsonPropertyName("imageID")]
    public string? ImageId { get; init; }
    public ObjectReference? FromRef { get; init; }
}

public sealed record BuildStatus
{
    public string Phase { get; init; } = BuildPhases.New;
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Cancelled { get; init; }
    public string? Reason { get; init; }
    public string? Message { get; init; }
    public DateTimeOffset? StartTimestamp { get; init; }
    public DateTimeOffset? CompletionTimestamp { get; init; }

    /// <summary>How long the build ran, in nanoseconds (Go's time.Duration, as OpenShift serializes it).</summary>
    public long? Duration { get; init; }
    public string? OutputDockerImageReference { get; init; }
    public ObjectReference? Config { get; init; }
    public BuildStatusOutput? Output { get; init; }
    public string? LogSnippet { get; init; }
}

public sealed record BuildStatusOutput
{
    public BuildStatusOutputTo? To { get; init; }
}

public sealed record BuildStatusOutputTo
{
    public string? ImageDigest { get; init; }
}

/// <summary>The body of <c>POST .../buildconfigs/NAME/instantiate</c> (build.openshift.io/v1 BuildRequest).</summary>
public sealed record BuildRequest
{
    public const string KindName = "BuildRequest";

    public string? ApiVersion { get; init; } = BuildApi.GroupVersion;
    public string? Kind { get; init; } = KindName;
    public ObjectMeta Metadata { get; init; } = new();
    public SourceRevision? Revision { get; init; }
    public ObjectReference? TriggeredByImage { get; init; }
    public ObjectReference? From { get; init; }
    public BinaryBuildSource? Binary { get; init; }

    /// <summary>When set, the request fails unless the BuildConfig's lastVersion is still this (a guard against duplicate triggers).</summary>
    public long? LastVersion { get; init; }
    public IReadOnlyList<EnvVar>? Env { get; init; }
    public IReadOnlyList<BuildTriggerCause>? TriggeredBy { get; init; }
    public DockerStrategyOptions? DockerStrategyOptions { get; init; }
}

public sealed record DockerStrategyOptions
{
    public IReadOnlyList<EnvVar>? BuildArgs { get; init; }
    public bool? NoCache { get; init; }
}
