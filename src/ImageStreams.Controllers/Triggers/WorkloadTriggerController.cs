using System.Text.Json;
using System.Text.Json.Nodes;
using ImageStreams.Controllers.Streams;
using ImageStreams.Model.Build;
using ImageStreams.Model.Image;
using ImageStreams.Model.Meta;
using ImageStreams.Model.Workloads;
using ImageStreams.Resources;
using Microsoft.Extensions.Logging;

namespace ImageStreams.Controllers.Triggers;

/// <summary>
/// Rewrites the container images of stored Deployments, StatefulSets, DaemonSets and CronJobs whose
/// <see cref="WorkloadTriggers.Annotation"/> follows a tag, when that tag moves. The queue holds stream keys: workload
/// events keep an index of which workloads follow which streams and queue the streams a workload names (so a new or
/// changed workload takes the current images at once); stream events queue the stream when some workload follows it.
/// A sync re-reads the stream and each following workload, and writes a workload only when an image differs, in one
/// guarded update. A trigger that cannot be applied (a malformed annotation, an unknown container) is logged and skipped.
/// </summary>
public sealed class WorkloadTriggerController : ImageStreamController
{
    private readonly ResourceSet resources;
    private readonly Lock gate = new();
    private readonly Dictionary<string, HashSet<string>> followers = [];
    private readonly Dictionary<string, string[]> followed = [];
    private readonly TaskCompletionSource[] workloadsListed =
        [.. Enumerable.Range(0, 4).Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously))];

    public WorkloadTriggerController(ResourceSet resources, TimeProvider time, ILogger<WorkloadTriggerController> logger)
        : base(resources.ImageStreams, time, logger, workers: 2)
    {
        this.resources = resources;
    }

    /// <summary>Completes once the first lists of streams and of the four workload kinds have been read.</summary>
    public override Task Synced => Task.WhenAll([base.Synced, .. workloadsListed.Select(l => l.Task)]);

    /// <summary>The workloads (<c>resource/namespace/name</c>) following tags of the stream <c>namespace/name</c>.</summary>
    public IReadOnlyList<string> Followers(string streamKey)
    {
        lock (gate)
        {
            return followers.TryGetValue(streamKey, out var set) ? [.. set.Order(StringComparer.Ordinal)] : [];
        }
    }

    protected override IEnumerable<Task> OtherWatches(CancellationToken stoppingToken) =>
    [
        WatchAsync(resources.Deployments, OnWorkload, workloadsListed[0], stoppingToken),
        WatchAsync(resources.StatefulSets, OnWorkload, workloadsListed[1], stoppingToken),
        WatchAsync(resources.DaemonSets, OnWorkload, workloadsListed[2], stoppingToken),
        WatchAsync(resources.CronJobs, OnWorkload, workloadsListed[3], stoppingToken),
    ];

    protected override IEnumerable<string> KeysFor(string eventType, ImageStream stream)
    {
        var key = KeyOf(stream);
        lock (gate)
        {
            return eventType != WatchEvent<ImageStream>.Deleted && followers.ContainsKey(key) ? [key] : [];
        }
    }

    private string[] OnWorkload(string eventType, Workload workload)
    {
        var key = WorkloadKey(workload);
        string[] streams = eventType == WatchEvent<Workload>.Deleted
            ? []
            : [.. WorkloadTriggers.Read(workload.Metadata).Triggers
                .Select(t => WorkloadTriggers.Tag(t, workload.Metadata.Namespace)?.StreamKey)
                .OfType<string>()
                .Distinct(StringComparer.Ordinal)];
        lock (gate)
        {
            foreach (var stream in followed.GetValueOrDefault(key) ?? [])
            {
                if (followers.TryGetValue(stream, out var set) && set.Remove(key) && set.Count == 0)
                {
                    followers.Remove(stream);
                }
            }
            followed.Remove(key);
            if (streams.Length > 0)
            {
                followed[key] = streams;
                foreach (var stream in streams)
                {
                    if (!followers.TryGetValue(stream, out var set))
                    {
                        followers[stream] = set = [];
                    }
                    set.Add(key);
                }
            }
        }
        return streams;
    }

    protected override async Task SyncAsync(string key, CancellationToken cancellationToken)
    {
        var (ns, name) = SplitKey(key);
        var stream = await resources.ImageStreams.FindAsync(ns, name, cancellationToken).ConfigureAwait(false);
        if (stream is null)
        {
            return;
        }
        foreach (var workload in Followers(key))
        {
            var parts = workload.Split('/', 3);
            var (resource, workloadNamespace, workloadName) = (parts[0], parts[1], parts[2]);
            await (resource switch
            {
                "deployments" => RewriteAsync(resources.Deployments, workloadNamespace, workloadName, stream, cancellationToken),
                "statefulsets" => RewriteAsync(resources.StatefulSets, workloadNamespace, workloadName, stream, cancellationToken),
                "daemonsets" => RewriteAsync(resources.DaemonSets, workloadNamespace, workloadName, stream, cancellationToken),
                _ => RewriteAsync(resources.CronJobs, workloadNamespace, workloadName, stream, cancellationToken),
            }).ConfigureAwait(false);
        }
    }

    private static string WorkloadKey(Workload workload) =>
        $"{ResourceTypes.ForType(workload.GetType())!.Resource}/{workload.Metadata.Namespace}/{workload.Metadata.Name}";

    private async Task RewriteAsync<T>(IResourceClient<T> client, string ns, string name, ImageStream stream, CancellationToken cancellationToken)
        where T : Workload
    {
        var changes = new List<string>();
        try
        {
            await client.GuaranteedUpdateAsync(ns, name, workload =>
            {
                changes.Clear();
                return Rewrite(workload, stream, changes);
            }, WriteScope.Main, cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException e) when (e.Reason == StatusReasons.NotFound)
        {
            return;
        }
        foreach (var change in changes)
        {
            Logger.LogInformation("triggers: {Resource} {Namespace}/{Name}: {Change}", client.Type.Resource, ns, name, change);
        }
    }

    /// <summary>A copy of <paramref name="workload"/> with the images its triggers on <paramref name="stream"/> ask for; null when every image is current.</summary>
    private T? Rewrite<T>(T workload, ImageStream stream, List<string> changes)
        where T : Workload
    {
        var key = $"{workload.Metadata.Namespace}/{workload.Metadata.Name}";
        var read = WorkloadTriggers.Read(workload.Metadata);
        if (read.Error is not null)
        {
            Logger.LogWarning("triggers: {Kind} {Key} left alone: {Error}", workload.Kind, key, read.Error);
            return null;
        }
        JsonObject? spec = null;
        foreach (var trigger in read.Triggers.Where(t => !t.Paused))
        {
            if (WorkloadTriggers.Tag(trigger, workload.Metadata.Namespace) is not { } tag)
            {
                Logger.LogWarning("triggers: {Kind} {Key}: a trigger whose from is not an ImageStreamTag stream:tag is skipped", workload.Kind, key);
                continue;
            }
            if (tag.StreamKey != KeyOf(stream) || BuildTriggers.Resolve(stream, tag.Tag) is not { } image)
            {
                continue;
            }
            spec ??= workload.Spec?.DeepClone() as JsonObject;
            if (WorkloadTriggers.Container(spec, workload.PodSpecPath, trigger.FieldPath, out var error) is not { } container)
            {
                Logger.LogWarning("triggers: {Kind} {Key}: the trigger on {Tag} is skipped: {Error}", workload.Kind, key, tag, error);
                continue;
            }
            if (container["image"] is JsonValue current && current.GetValueKind() == JsonValueKind.String && current.GetValue<string>() == image)
            {
                continue;
            }
            container["image"] = image;
            changes.Add($"{trigger.FieldPath} set to {image} ({tag} moved)");
        }
        return changes.Count == 0 ? null : (T)((Workload)workload with { Spec = spec });
    }
}
