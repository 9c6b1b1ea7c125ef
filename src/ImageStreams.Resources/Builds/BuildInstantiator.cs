using System.Globalization;
using ImageStreams.Model.Build;
using ImageStreams.Model.Image;
using ImageStreams.Model.Meta;
using BuildModel = ImageStreams.Model.Build.Build;

namespace ImageStreams.Resources.Builds;

/// <summary>
/// <c>POST .../buildconfigs/NAME/instantiate</c>: takes the next number from the BuildConfig's lastVersion in one guarded
/// write (so concurrent requests never share a number), then creates <c>NAME-N</c> from the BuildConfig's spec and the
/// request's overrides. A request triggered by an image records it in status.imageChangeTriggers in that same write.
/// </summary>
public sealed class BuildInstantiator(IResourceClient<BuildConfig> configs, IResourceClient<BuildModel> builds, TimeProvider time)
{
    /// <summary>
    /// Numbers are taken one at a time in this process, so a burst of requests does not spend its retries on conflicts
    /// with itself; the guarded write still keeps other writers (a second server on the same store) apart.
    /// </summary>
    private readonly SemaphoreSlim numbering = new(1, 1);

    /// <summary>The cause recorded when a request names none.</summary>
    public const string ManualCause = "Manually triggered";

    /// <summary>The cause recorded for a build started by a moved image tag.</summary>
    public const string ImageChangeCause = "Image change";

    /// <param name="binary">True for <c>instantiatebinary</c>: the build takes an uploaded input.</param>
    /// <param name="beforeCreate">Runs once the build's name is known and before it is stored (an upload is put in place there).</param>
    public async Task<BuildModel> InstantiateAsync(
        string ns,
        string name,
        BuildRequest request,
        bool binary = false,
        Func<BuildModel, CancellationToken, Task>? beforeCreate = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!string.IsNullOrEmpty(request.Metadata?.Name) && request.Metadata.Name != name)
        {
            throw ApiErrors.BadRequest($"the name of the request ({request.Metadata.Name}) does not match the name on the URL ({name})");
        }
        var current = await configs.GetAsync(ns, name, cancellationToken).ConfigureAwait(false);
        if (!binary && current.Spec.Source.Binary is not null)
        {
            throw ApiErrors.BadRequest(
                $"build config {ns}/{name} has a binary source: start it with its input (instantiatebinary; isctl start-build {name} --from-dir, --from-file or --from-archive)");
        }
        if (binary && current.Spec.Source.Git is not null)
        {
            throw ApiErrors.BadRequest($"build config {ns}/{name} builds from git; binary input is only for BuildConfigs with a binary source");
        }
        var now = time.GetUtcNow();
        BuildConfig updated;
        await numbering.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            updated = await configs.GuaranteedUpdateAsync(ns, name, config =>
            {
                var status = config.Status ?? new BuildConfigStatus();
                if (request.LastVersion is { } expected && expected != status.LastVersion)
                {
                    throw ApiErrors.Conflict(ResourceTypes.BuildConfigs.GroupResource, name,
                        $"the build config is at version {status.LastVersion}, not {expected} as the request expects");
                }
                return config with { Status = status with { LastVersion = status.LastVersion + 1, ImageChangeTriggers = Triggered(config, request, now) } };
            }, WriteScope.Status, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            numbering.Release();
        }

        var number = updated.Status!.LastVersion;
        var build = NewBuild(updated, request, number, binary);
        if (beforeCreate is not null)
        {
            await beforeCreate(build, cancellationToken).ConfigureAwait(false);
        }
        return await builds.CreateAsync(ns, build, new WriteOptions(WriteScope.All), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The name of a BuildConfig's build number <paramref name="number"/>.</summary>
    public static string BuildName(string config, long number) => $"{config}-{number.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>
    /// The image change triggers with the request's image recorded on the trigger it came through; a second request for
    /// an image already recorded is refused, so one image never starts two builds.
    /// </summary>
    private static IReadOnlyList<ImageChangeTriggerStatus>? Triggered(BuildConfig config, BuildRequest request, DateTimeOffset now)
    {
        var statuses = config.Status?.ImageChangeTriggers;
        if (request.TriggeredByImage is not { Name: { Length: > 0 } imageId })
        {
            return statuses;
        }
        var from = request.From is { Kind: SourceKinds.ImageStreamTag } tag
            ? new ImageStreamTagReference { Namespace = tag.Namespace ?? config.Metadata.Namespace, Name = tag.Name }
            : null;
        var list = (statuses ?? []).ToList();
        var index = from is null ? -1 : list.FindIndex(s => s.From?.Name == from.Name && (s.From?.Namespace ?? config.Metadata.Namespace) == from.Namespace);
        if (index >= 0 && list[index].LastTriggeredImageId == imageId)
        {
            throw ApiErrors.Conflict(ResourceTypes.BuildConfigs.GroupResource, config.Metadata.Name ?? "",
                $"build config {config.Metadata.Namespace}/{config.Metadata.Name} has already instantiated a build for imageid {imageId}");
        }
        var entry = new ImageChangeTriggerStatus { From = from, LastTriggeredImageId = imageId, LastTriggerTime = now };
        if (index >= 0)
        {
            list[index] = entry;
        }
        else if (from is not null)
        {
            list.Add(entry);
        }
        return list;
    }

    private static BuildModel NewBuild(BuildConfig config, BuildRequest request, long number, bool binary)
    {
        var configName = config.Metadata.Name!;
        var spec = config.Spec;
        var strategy = spec.Strategy;
        if (request.From is { } from)
        {
            strategy = strategy.DockerStrategy is not null
                ? strategy with { DockerStrategy = strategy.DockerStrategy with { From = from } }
                : strategy with { SourceStrategy = strategy.SourceStrategy! with { From = from } };
        }
        if (request.Env is { Count: > 0 } env)
        {
            strategy = strategy.DockerStrategy is not null
                ? strategy with { DockerStrategy = strategy.DockerStrategy with { Env = Merge(strategy.DockerStrategy.Env, env) } }
                : strategy with { SourceStrategy = strategy.SourceStrategy! with { Env = Merge(strategy.SourceStrategy.Env, env) } };
        }
        if (request.DockerStrategyOptions is { } options && strategy.DockerStrategy is { } docker)
        {
            strategy = strategy with
            {
                DockerStrategy = docker with
                {
                    BuildArgs = options.BuildArgs is { Count: > 0 } args ? Merge(docker.BuildArgs, args) : docker.BuildArgs,
                    NoCache = options.NoCache ?? docker.NoCache,
                },
            };
        }
        var source = spec.Source;
        if (binary)
        {
            source = source with { Type = BuildSourceTypes.Binary, Binary = request.Binary ?? source.Binary ?? new BinaryBuildSource() };
        }
        var causes = request.TriggeredBy is { Count: > 0 } given
            ? given
            : request.TriggeredByImage is { } image
                ? [new BuildTriggerCause
                {
                    Message = ImageChangeCause,
                    ImageChangeBuild = new ImageChangeCause { ImageId = image.Name, FromRef = request.From },
                }]
                : [new BuildTriggerCause { Message = ManualCause }];
        var labels = new Dictionary<string, string>(config.Metadata.Labels ?? new Dictionary<string, string>())
        {
            [BuildApi.BuildConfigLabelDeprecated] = configName,
            [BuildApi.BuildConfigLabel] = configName,
        };
        return new BuildModel
        {
            Metadata = new ObjectMeta
            {
                Name = BuildName(configName, number),
                Namespace = config.Metadata.Namespace,
                Labels = labels,
                Annotations = new Dictionary<string, string>
                {
                    [BuildApi.BuildConfigAnnotation] = configName,
                    [BuildApi.BuildNumberAnnotation] = number.ToString(CultureInfo.InvariantCulture),
                },
            },
            Spec = new BuildSpec
            {
                ServiceAccount = spec.ServiceAccount,
                Source = source,
                Revision = request.Revision ?? spec.Revision,
                Strategy = strategy,
                Output = spec.Output,
                CompletionDeadlineSeconds = spec.CompletionDeadlineSeconds,
                NodeSelector = spec.NodeSelector,
                TriggeredBy = causes,
            },
            Status = new BuildStatus
            {
                Phase = BuildPhases.New,
                Config = new ObjectReference { Kind = BuildConfig.KindName, Namespace = config.Metadata.Namespace, Name = configName },
            },
        };
    }

    /// <summary>Variables of the request replace those of the same name and add the others.</summary>
    private static List<EnvVar> Merge(IReadOnlyList<EnvVar>? existing, IReadOnlyList<EnvVar> overrides) =>
        [.. (existing ?? []).Where(e => overrides.All(o => o.Name != e.Name)), .. overrides];
}
