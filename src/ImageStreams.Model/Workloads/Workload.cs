using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using ImageStreams.Model.Meta;

namespace ImageStreams.Model.Workloads;

/// <summary>Names of the Kubernetes API groups of the stored workloads.</summary>
public static class WorkloadApi
{
    public const string AppsGroup = "apps";
    public const string BatchGroup = "batch";
    public const string Version = "v1";
    public const string AppsGroupVersion = AppsGroup + "/" + Version;
    public const string BatchGroupVersion = BatchGroup + "/" + Version;
}

/// <summary>
/// A Kubernetes workload kept as a document: this server stores it and rewrites the container images its image change
/// triggers name, and runs nothing. Spec and status stay opaque JSON, so any valid document round-trips as it came.
/// </summary>
public abstract record Workload : IResource
{
    public string? ApiVersion { get; init; }
    public string? Kind { get; init; }
    public ObjectMeta Metadata { get; init; } = new();
    public JsonObject? Spec { get; init; }
    public JsonObject? Status { get; init; }

    /// <summary>Where the pod spec sits, as a field path from the object's root.</summary>
    [JsonIgnore]
    public virtual string PodSpecPath => "spec.template.spec";
}

public sealed record Deployment : Workload
{
    public const string KindName = "Deployment";

    public Deployment()
    {
        ApiVersion = WorkloadApi.AppsGroupVersion;
        Kind = KindName;
    }
}

public sealed record StatefulSet : Workload
{
    public const string KindName = "StatefulSet";

    public StatefulSet()
    {
        ApiVersion = WorkloadApi.AppsGroupVersion;
        Kind = KindName;
    }
}

public sealed record DaemonSet : Workload
{
    public const string KindName = "DaemonSet";

    public DaemonSet()
    {
        ApiVersion = WorkloadApi.AppsGroupVersion;
        Kind = KindName;
    }
}

public sealed record CronJob : Workload
{
    public const string KindName = "CronJob";

    public CronJob()
    {
        ApiVersion = WorkloadApi.BatchGroupVersion;
        Kind = KindName;
    }

    [JsonIgnore]
    public override string PodSpecPath => "spec.jobTemplate.spec.template.spec";
}
