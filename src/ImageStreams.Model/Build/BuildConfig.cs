using System.Text.Json.Serialization;
using ImageStreams.Model.Meta;

namespace ImageStreams.Model.Build;

/// <summary>How to build an image and when (build.openshift.io/v1 BuildConfig).</summary>
public sealed record BuildConfig : IResource, IHasStatus
{
    public const string KindName = "BuildConfig";

    public string? ApiVersion { get; init; } = BuildApi.GroupVersion;
    public string? Kind { get; init; } = KindName;
    public ObjectMeta Metadata { get; init; } = new();
    public BuildConfigSpec Spec { get; init; } = new();
    public BuildConfigStatus? Status { get; init; }
}

public sealed record BuildConfigSpec
{
    public IReadOnlyList<BuildTriggerPolicy>? Triggers { get; init; }
    public string? RunPolicy { get; init; }
    public string? ServiceAccount { get; init; }
    public BuildSource Source { get; init; } = new();
    public SourceRevision? Revision { get; init; }
    public BuildStrategy Strategy { get; init; } = new();
    public BuildOutput Output { get; init; } = new();
    public long? CompletionDeadlineSeconds { get; init; }
    public IReadOnlyDictionary<string, string>? NodeSelector { get; init; }
    public int? SuccessfulBuildsHistoryLimit { get; init; }
    public int? FailedBuildsHistoryLimit { get; init; }
}

public sealed record BuildConfigStatus
{
    /// <summary>The number of the latest build; the next is this plus one.</summary>
    public long LastVersion { get; init; }
    public IReadOnlyList<ImageChangeTriggerStatus>? ImageChangeTriggers { get; init; }
}

/// <summary>What starts a build: a webhook, a moved image tag, or the BuildConfig's creation.</summary>
public sealed record BuildTriggerPolicy
{
    public string Type { get; init; } = "";
    [JsonPropertyName("github")]
    public WebHookTrigger? GitHub { get; init; }
    public WebHookTrigger? Generic { get; init; }
    [JsonPropertyName("gitlab")]
    public WebHookTrigger? GitLab { get; init; }
    public WebHookTrigger? Bitbucket { get; init; }
    public ImageChangeTrigger? ImageChange { get; init; }
}

public sealed record WebHookTrigger
{
    public string? Secret { get; init; }
    public LocalObjectReference? SecretReference { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool AllowEnv { get; init; }
}

public sealed record ImageChangeTrigger
{
    /// <summary>Deprecated in OpenShift in favour of status.imageChangeTriggers; kept as written.</summary>
    [JsonPropertyName("lastTriggeredImageID")]
    public string? LastTriggeredImageId { get; init; }

    /// <summary>The ImageStreamTag watched; null means the strategy's from.</summary>
    public ObjectReference? From { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Paused { get; init; }
}

public sealed record ImageChangeTriggerStatus
{
    [JsonPropertyName("lastTriggeredImageID")]
    public string? LastTriggeredImageId { get; init; }
    public ImageStreamTagReference? From { get; init; }
    public DateTimeOffset? LastTriggerTime { get; init; }
}

public sealed record ImageStreamTagReference
{
    public string? Namespace { get; init; }
    public string? Name { get; init; }
}

/// <summary>Where the sources come from: git, an inline Dockerfile, a binary upload, or several of them.</summary>
public sealed record BuildSource
{
    public string? Type { get; init; }
    public BinaryBuildSource? Binary { get; init; }
    public string? Dockerfile { get; init; }
    public GitBuildSource? Git { get; init; }
    public string? ContextDir { get; init; }
    public LocalObjectReference? SourceSecret { get; init; }
}

public sealed record BinaryBuildSource
{
    /// <summary>The upload is one file of this name in the context; empty means an archive to unpack.</summary>
    public string? AsFile { get; init; }
}

public sealed record GitBuildSource
{
    public string Uri { get; init; } = "";
    public string? Ref { get; init; }
}

public sealed record SourceRevision
{
    public string? Type { get; init; }
    public GitSourceRevision? Git { get; init; }
}

public sealed record GitSourceRevision
{
    public string? Commit { get; init; }
    public string? Message { get; init; }
}

public sealed record BuildStrategy
{
    public string? Type { get; init; }
    public DockerBuildStrategy? DockerStrategy { get; init; }
    public SourceBuildStrategy? SourceStrategy { get; init; }

    /// <summary>The base (docker) or builder (source) image, whichever strategy is set.</summary>
    [JsonIgnore]
    public ObjectReference? From => DockerStrategy?.From ?? SourceStrategy?.From;
}

public sealed record DockerBuildStrategy
{
    public ObjectReference? From { get; init; }
    public LocalObjectReference? PullSecret { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool NoCache { get; init; }
    public IReadOnlyList<EnvVar>? Env { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool ForcePull { get; init; }
    public string? DockerfilePath { get; init; }
    public IReadOnlyList<EnvVar>? BuildArgs { get; init; }
}

public sealed record SourceBuildStrategy
{
    public ObjectReference? From { get; init; }
    public LocalObjectReference? PullSecret { get; init; }
    public IReadOnlyList<EnvVar>? Env { get; init; }
    public string? Scripts { get; init; }
    public bool? Incremental { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool ForcePull { get; init; }
}

/// <summary>corev1.EnvVar, the plain name and value form.</summary>
public sealed record EnvVar
{
    public string Name { get; init; } = "";
    public string? Value { get; init; }
}

public sealed record BuildOutput
{
    /// <summary>An ImageStreamTag (<c>stream:tag</c>) or a DockerImage (a pull spec).</summary>
    public ObjectReference? To { get; init; }
    public LocalObjectReference? PushSecret { get; init; }
    public IReadOnlyList<ImageLabel>? ImageLabels { get; init; }
}

public sealed record ImageLabel
{
    public string Name { get; init; } = "";
    public string? Value { get; init; }
}
