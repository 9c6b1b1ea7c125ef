using System.Text.Json.Nodes;
using ImageStreams.Model.Build;
using ImageStreams.Model.Image;
using ImageStreams.Model.Meta;
using ImageStreams.Model.Serialization;
using ImageStreams.Model.Validation;

namespace ImageStreams.Resources.Strategies;

/// <summary>
/// BuildConfigs as OpenShift has them: runPolicy defaults to Serial and the history limits to 5; source and strategy
/// types follow what is set; generation counts spec changes; status (lastVersion, image change triggers) is written
/// through the status subresource only.
/// </summary>
internal sealed class BuildConfigStrategy : IResourceStrategy<BuildConfig>
{
    /// <summary>Builds of each outcome kept per BuildConfig when the BuildConfig does not say (OpenShift's default).</summary>
    public const int DefaultHistoryLimit = 5;

    private static readonly string[] TriggerTypes =
    [
        BuildTriggerTypes.GitHub, BuildTriggerTypes.Generic, BuildTriggerTypes.GitLab, BuildTriggerTypes.Bitbucket,
        BuildTriggerTypes.ImageChange, BuildTriggerTypes.ConfigChange,
    ];

    public ResourceType Type => ResourceTypes.BuildConfigs;

    public bool HasGeneration => true;

    public BuildConfig WithMetadata(BuildConfig obj, ObjectMeta metadata) => obj with { Metadata = metadata };

    public BuildConfig PrepareForCreate(BuildConfig obj, WriteScope scope)
    {
        obj = Normalize(obj);
        return obj with
        {
            Spec = obj.Spec with
            {
                SuccessfulBuildsHistoryLimit = obj.Spec.SuccessfulBuildsHistoryLimit ?? DefaultHistoryLimit,
                FailedBuildsHistoryLimit = obj.Spec.FailedBuildsHistoryLimit ?? DefaultHistoryLimit,
            },
            Status = scope == WriteScope.All ? obj.Status ?? new BuildConfigStatus() : new BuildConfigStatus(),
        };
    }

    public BuildConfig PrepareForUpdate(BuildConfig obj, BuildConfig old, WriteScope scope)
    {
        obj = Normalize(obj);
        if (scope == WriteScope.Status)
        {
            return obj with { Metadata = obj.Metadata with { Generation = old.Metadata.Generation }, Spec = old.Spec };
        }
        var generation = old.Metadata.Generation;
        if (!JsonNode.DeepEquals(ResourceJson.ToNode(obj.Spec), ResourceJson.ToNode(old.Spec)))
        {
            generation++;
        }
        return obj with
        {
            Metadata = obj.Metadata with { Generation = generation },
            Status = scope == WriteScope.All ? obj.Status ?? old.Status : old.Status,
        };
    }

    public IReadOnlyList<FieldError> Validate(BuildConfig obj, BuildConfig? old)
    {
        var errors = new List<FieldError>(Names.ValidateSubdomainName(obj.Metadata.Name));
        var spec = obj.Spec;
        if (spec.RunPolicy is { } policy && !BuildRunPolicies.All.Contains(policy))
        {
            errors.Add(new FieldError("spec.runPolicy", FieldError.NotSupported, "\"Serial\", \"SerialLatestOnly\", \"Parallel\"", policy));
        }
        BuildValidation.Source(spec.Source, errors);
        BuildValidation.Strategy(spec.Strategy, errors);
        BuildValidation.Output(spec.Output, errors);
        if (spec.SuccessfulBuildsHistoryLimit < 0)
        {
            errors.Add(FieldError.Invalid("spec.successfulBuildsHistoryLimit", spec.SuccessfulBuildsHistoryLimit, "must be greater than or equal to 0"));
        }
        if (spec.FailedBuildsHistoryLimit < 0)
        {
            errors.Add(FieldError.Invalid("spec.failedBuildsHistoryLimit", spec.FailedBuildsHistoryLimit, "must be greater than or equal to 0"));
        }
        var defaultImageChange = 0;
        for (var i = 0; i < (spec.Triggers?.Count ?? 0); i++)
        {
            var trigger = spec.Triggers![i];
            var path = $"spec.triggers[{i}]";
            if (!TriggerTypes.Contains(trigger.Type))
            {
                errors.Add(new FieldError($"{path}.type", FieldError.NotSupported, string.Join(", ", TriggerTypes.Select(t => $"\"{t}\"")), trigger.Type));
                continue;
            }
            if (trigger.Type != BuildTriggerTypes.ImageChange)
            {
                continue;
            }
            if (trigger.ImageChange?.From is not { } from)
            {
                if (++defaultImageChange > 1)
                {
                    errors.Add(FieldError.Invalid($"{path}.imageChange", null, "only one ImageChange trigger may use the strategy's from"));
                }
                else if (spec.Strategy.From?.Kind != SourceKinds.ImageStreamTag)
                {
                    errors.Add(FieldError.Invalid($"{path}.imageChange.from", null,
                        "a trigger without from uses the strategy's from, which must then be an ImageStreamTag"));
                }
            }
            else if (from.Kind != SourceKinds.ImageStreamTag)
            {
                errors.Add(new FieldError($"{path}.imageChange.from.kind", FieldError.NotSupported, "\"ImageStreamTag\"", from.Kind));
            }
            else if (!BuildValidation.IsStreamTag(from.Name))
            {
                errors.Add(FieldError.Invalid($"{path}.imageChange.from.name", from.Name, "ImageStreamTag object references must be in the form <name>:<tag>"));
            }
        }
        if (obj.Status?.LastVersion < 0)
        {
            errors.Add(FieldError.Invalid("status.lastVersion", obj.Status.LastVersion, "must be greater than or equal to 0"));
        }
        if (old?.Status is { } before && obj.Status is { } after && after.LastVersion < before.LastVersion)
        {
            errors.Add(FieldError.Invalid("status.lastVersion", after.LastVersion, "must not decrease"));
        }
        return errors;
    }

    public BuildConfig Decorate(BuildConfig obj) => obj;

    /// <summary>Explicit nulls become empty values; runPolicy defaults to Serial; the type fields follow what is set.</summary>
    private static BuildConfig Normalize(BuildConfig config)
    {
        var spec = config.Spec ?? new BuildConfigSpec();
        return config with
        {
            Spec = spec with
            {
                RunPolicy = string.IsNullOrEmpty(spec.RunPolicy) ? BuildRunPolicies.Serial : spec.RunPolicy,
                Source = BuildTypes.WithSourceType(spec.Source ?? new BuildSource()),
                Strategy = BuildTypes.WithStrategyType(spec.Strategy ?? new BuildStrategy()),
                Output = spec.Output ?? new BuildOutput(),
            },
        };
    }
}

/// <summary>The type fields OpenShift derives from what a source or strategy sets.</summary>
internal static class BuildTypes
{
    public static BuildSource WithSourceType(BuildSource source) => source with
    {
        Type = source.Binary is not null ? BuildSourceTypes.Binary
            : source.Git is not null ? BuildSourceTypes.Git
            : !string.IsNullOrEmpty(source.Dockerfile) ? BuildSourceTypes.Dockerfile
            : source.Type ?? BuildSourceTypes.None,
    };

    public static BuildStrategy WithStrategyType(BuildStrategy strategy) => strategy with
    {
        Type = strategy.SourceStrategy is not null && strategy.DockerStrategy is null ? BuildStrategyTypes.Source
            : strategy.DockerStrategy is not null ? BuildStrategyTypes.Docker
            : strategy.Type,
    };
}
