using System.Text.Json.Nodes;
using ImageStreams.Model.Build;
using ImageStreams.Model.Meta;
using ImageStreams.Model.Serialization;
using ImageStreams.Model.Validation;
using BuildModel = ImageStreams.Model.Build.Build;

namespace ImageStreams.Resources.Strategies;

/// <summary>
/// Builds: a new build starts New; its spec is fixed once created (only the server's own writers record the resolved
/// base and revision); an update may set <c>status.cancelled</c>, as <c>oc cancel-build</c> does; an ended build stays ended.
/// </summary>
internal sealed class BuildResourceStrategy : IResourceStrategy<BuildModel>
{
    public ResourceType Type => ResourceTypes.Builds;

    public bool HasGeneration => false;

    public BuildModel WithMetadata(BuildModel obj, ObjectMeta metadata) => obj with { Metadata = metadata };

    public BuildModel PrepareForCreate(BuildModel obj, WriteScope scope)
    {
        obj = Normalize(obj);
        return scope == WriteScope.All ? obj : obj with { Status = new BuildStatus { Cancelled = obj.Status.Cancelled } };
    }

    public BuildModel PrepareForUpdate(BuildModel obj, BuildModel old, WriteScope scope)
    {
        obj = Normalize(obj);
        switch (scope)
        {
            case WriteScope.All:
                return obj;
            case WriteScope.Status:
                return obj with { Spec = old.Spec };
            default:
                if (!JsonNode.DeepEquals(ResourceJson.ToNode(obj.Spec), ResourceJson.ToNode(old.Spec)))
                {
                    throw ApiErrors.Invalid(Type.Kind, Type.Group, old.Metadata.Name ?? "",
                        [new FieldError("spec", FieldError.Forbidden, "a build's spec cannot be changed once it is created")]);
                }
                // Through the object itself a user may only ask for cancellation; the rest of the status is the server's.
                return obj with { Status = old.Status with { Cancelled = old.Status.Cancelled || obj.Status.Cancelled } };
        }
    }

    public IReadOnlyList<FieldError> Validate(BuildModel obj, BuildModel? old)
    {
        var errors = new List<FieldError>(Names.ValidateSubdomainName(obj.Metadata.Name));
        BuildValidation.Source(obj.Spec.Source, errors);
        BuildValidation.Strategy(obj.Spec.Strategy, errors);
        BuildValidation.Output(obj.Spec.Output, errors);
        if (!BuildPhases.All.Contains(obj.Status.Phase))
        {
            errors.Add(new FieldError("status.phase", FieldError.NotSupported, string.Join(", ", BuildPhases.All.Select(p => $"\"{p}\"")), obj.Status.Phase));
        }
        if (old is not null && BuildPhases.IsTerminal(old.Status.Phase) && obj.Status.Phase != old.Status.Phase)
        {
            errors.Add(FieldError.Invalid("status.phase", obj.Status.Phase, $"the build has ended ({old.Status.Phase}); its phase cannot change"));
        }
        return errors;
    }

    public BuildModel Decorate(BuildModel obj) => obj;

    private static BuildModel Normalize(BuildModel build)
    {
        var spec = build.Spec ?? new BuildSpec();
        var status = build.Status ?? new BuildStatus();
        return build with
        {
            Spec = spec with
            {
                Source = BuildTypes.WithSourceType(spec.Source ?? new BuildSource()),
                Strategy = BuildTypes.WithStrategyType(spec.Strategy ?? new BuildStrategy()),
                Output = spec.Output ?? new BuildOutput(),
            },
            Status = string.IsNullOrEmpty(status.Phase) ? status with { Phase = BuildPhases.New } : status,
        };
    }
}
