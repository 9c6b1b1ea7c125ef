using System.Text.Json.Nodes;
using ImageStreams.Model.Meta;
using ImageStreams.Model.Validation;
using ImageStreams.Model.Workloads;

namespace ImageStreams.Resources.Strategies;

/// <summary>
/// Deployments, StatefulSets, DaemonSets and CronJobs kept as documents: a name and a spec object are required, the spec
/// is otherwise stored as it came; generation counts spec changes; status is written through the status subresource only.
/// </summary>
internal sealed class WorkloadStrategy<T>(ResourceType type) : IResourceStrategy<T>
    where T : Workload
{
    public ResourceType Type => type;

    public bool HasGeneration => true;

    public T WithMetadata(T obj, ObjectMeta metadata) => (T)((Workload)obj with { Metadata = metadata });

    public T PrepareForCreate(T obj, WriteScope scope) =>
        scope == WriteScope.All ? obj : (T)((Workload)obj with { Status = null });

    public T PrepareForUpdate(T obj, T old, WriteScope scope)
    {
        if (scope == WriteScope.Status)
        {
            return (T)((Workload)obj with { Metadata = obj.Metadata with { Generation = old.Metadata.Generation }, Spec = old.Spec });
        }
        var generation = old.Metadata.Generation + (JsonNode.DeepEquals(obj.Spec, old.Spec) ? 0 : 1);
        return (T)((Workload)obj with
        {
            Metadata = obj.Metadata with { Generation = generation },
            Status = scope == WriteScope.All ? obj.Status ?? old.Status : old.Status,
        });
    }

    public IReadOnlyList<FieldError> Validate(T obj, T? old)
    {
        var errors = new List<FieldError>(Names.ValidateSubdomainName(obj.Metadata.Name));
        if (obj.Spec is null)
        {
            errors.Add(FieldError.MissingValue("spec"));
        }
        return errors;
    }

    public T Decorate(T obj) => obj;
}
