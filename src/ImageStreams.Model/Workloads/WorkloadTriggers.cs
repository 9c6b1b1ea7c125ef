using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ImageStreams.Model.Build;
using ImageStreams.Model.Meta;
using ImageStreams.Model.Serialization;

namespace ImageStreams.Model.Workloads;

/// <summary>
/// One entry of the <see cref="WorkloadTriggers.Annotation"/> annotation: the image of the container at
/// <see cref="FieldPath"/> follows the ImageStreamTag <see cref="From"/>.
/// </summary>
public sealed record WorkloadTrigger
{
    public ObjectReference? From { get; init; }
    public string? FieldPath { get; init; }
    public bool Paused { get; init; }
}

/// <summary>The triggers of a workload read from its annotation, or why they could not be read.</summary>
public sealed record WorkloadTriggerList(IReadOnlyList<WorkloadTrigger> Triggers, string? Error = null);

/// <summary>
/// OpenShift's image change triggers of Kubernetes workloads: the annotation <c>image.openshift.io/triggers</c> holds a
/// JSON array of <c>{"from":{"kind":"ImageStreamTag","name":"is:tag"},"fieldPath":"spec.template.spec.containers[?(@.name=="web")].image"}</c>.
/// A field path names one container of the pod spec, by name or by index, among the containers or the init containers.
/// </summary>
public static class WorkloadTriggers
{
    public const string Annotation = "image.openshift.io/triggers";

    private static readonly string[] ContainerLists = ["containers", "initContainers"];

    /// <summary>The triggers in a workload's annotation: none when it has no annotation, an error when the value is not a JSON array of triggers.</summary>
    public static WorkloadTriggerList Read(ObjectMeta metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        if (metadata.Annotation(Annotation) is not { } value)
        {
            return new WorkloadTriggerList([]);
        }
        try
        {
            var triggers = JsonSerializer.Deserialize<List<WorkloadTrigger>>(value, ResourceJson.Options);
            return triggers is null || triggers.Contains(null!)
                ? new WorkloadTriggerList([], $"{Annotation} must be a JSON array of triggers")
                : new WorkloadTriggerList(triggers);
        }
        catch (JsonException e)
        {
            return new WorkloadTriggerList([], $"{Annotation} is not a JSON array of triggers: {e.Message}");
        }
    }

    /// <summary>The tag a trigger follows (its namespace defaulting to the workload's); null unless from is an ImageStreamTag <c>stream:tag</c>.</summary>
    public static StreamTagKey? Tag(WorkloadTrigger trigger, string? ns) => StreamTagKey.Of(trigger?.From, ns);

    /// <summary>
    /// The container whose image <paramref name="fieldPath"/> names inside <paramref name="spec"/> (the workload's spec);
    /// null, with <paramref name="error"/> saying why, when the path has another form or the container does not exist.
    /// </summary>
    public static JsonObject? Container(JsonObject? spec, string podSpecPath, string? fieldPath, out string? error)
    {
        ArgumentNullException.ThrowIfNull(podSpecPath);
        error = null;
        foreach (var list in ContainerLists)
        {
            var prefix = $"{podSpecPath}.{list}[";
            if (fieldPath is null || !fieldPath.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }
            var selector = fieldPath[prefix.Length..];
            var close = selector.LastIndexOf(']');
            if (close < 0 || selector[(close + 1)..] != ".image")
            {
                break;
            }
            selector = selector[..close];
            JsonNode? node = spec;
            foreach (var segment in podSpecPath.Split('.').Skip(1).Append(list))
            {
                node = node is JsonObject obj ? obj[segment] : null;
            }
            var containers = (node as JsonArray ?? []).OfType<JsonObject>().ToList();
            if (int.TryParse(selector, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            {
                if (index < containers.Count)
                {
                    return containers[index];
                }
                error = $"{list}[{index}] does not exist: there are {containers.Count}";
                return null;
            }
            if (Name(selector) is not { } name)
            {
                break;
            }
            var container = containers.FirstOrDefault(c => c["name"] is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>() == name);
            error = container is null ? $"there is no container named \"{name}\" in {list}" : null;
            return container;
        }
        error = $"field path \"{fieldPath}\" does not name a container image under {podSpecPath}: want {podSpecPath}.containers[?(@.name==\"NAME\")].image or an index as containers[0]";
        return null;
    }

    /// <summary>The name of a selector <c>?(@.name=="X")</c> (double or single quotes); null for any other form.</summary>
    private static string? Name(string selector)
    {
        const string Start = "?(@.name==";
        if (!selector.StartsWith(Start, StringComparison.Ordinal) || !selector.EndsWith(')'))
        {
            return null;
        }
        var quoted = selector[Start.Length..^1];
        return quoted.Length >= 2 && quoted[0] is '"' or '\'' && quoted[^1] == quoted[0] ? quoted[1..^1] : null;
    }
}
