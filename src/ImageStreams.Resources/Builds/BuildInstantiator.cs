using System.Globalization;
using System.Text.Json;
using ImageStreams.Model.Build;
using ImageStreams.Model.Image;
using ImageStreams.Model.Meta;
using ImageStreams.Model.Serialization;
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

    /// <summary>
    /// The annotation a BuildConfig carries between the write that takes build number N and the creation of build N:
    /// <c>N</c> and the request as JSON. A crash in between leaves it behind, and <see cref="CompletePendingAsync"/> then
    /// creates the build, so a number taken is never a build lost.
    /// </summary>
    public const string PendingBuildAnnotation = "build.imagestreams.io/pending-build";

    /// <param name="binary">True for <c>instantiatebinary</c>: the build takes an uploaded input.</param>
    /// <param name="beforeCreate">Runs once the build's name is known and before it is stored (an upload is put in place there).</param>
    /// <param name="observedImages">
    /// Images of further image change triggers recorded as triggered in the same write (one build for several moved tags).
    /// </param>
    public async Task<BuildModel> InstantiateAsync(
        string ns,
        string name,
        BuildRequest request,
        bool binary = false,
        Func<BuildModel, CancellationToken, Task>? beforeCreate = null,
        IReadOnlyList<ImageChangeTriggerStatus>? observedImages = null,
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
                var next = status.LastVersion + 1;
                var triggered = Observed(config, Triggered(config, request, now), observedImages, now);
                var metadata = binary ? config.Metadata : config.Metadata.WithAnnotation(PendingBuildAnnotation, PendingValue(next, request));
                return config with { Metadata = metadata, Status = status with { LastVersion = next, ImageChangeTriggers = triggered } };
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
        BuildModel created;
        try
        {
            created = await builds.CreateAsync(ns, build, new WriteOptions(WriteScope.All), cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException e) when (e.Reason == StatusReasons.AlreadyExists && !binary)
        {
            // The number is ours alone, so the build is this request's, made from the pending annotation by
            // CompletePendingAsync while this request was between its two writes.
            created = await builds.GetAsync(ns, build.Metadata.Name!, cancellationToken).ConfigureAwait(false);
        }
        if (!binary)
        {
            await ClearPendingAsync(ns, name, number, cancellationToken).ConfigureAwait(false);
        }
        return created;
    }

    /// <summary>
    /// Finishes an instantiation a crash cut short: when the config's pending-build annotation names build N and there is
    /// no build N, creates it from the recorded request; then removes the annotation. Returns the build it created, or null.
    /// </summary>
    public async Task<BuildModel?> CompletePendingAsync(BuildConfig config, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.Metadata.Annotation(PendingBuildAnnotation) is not { } value || config.Metadata is not { Namespace: { } ns, Name: { } name })
        {
            return null;
        }
        BuildModel? created = null;
        if (ParsePending(value) is { } pending && pending.Number == config.Status?.LastVersion &&
            await builds.FindAsync(ns, BuildName(name, pending.Number), cancellationToken).ConfigureAwait(false) is null)
        {
            try
            {
                created = await builds.CreateAsync(ns, NewBuild(config, pending.Request, pending.Number, binary: false),
                    new WriteOptions(WriteScope.All), cancellationToken).ConfigureAwait(false);
            }
            catch (ApiException e) when (e.Reason == StatusReasons.AlreadyExists)
            {
            }
        }
        await ClearPendingAsync(ns, name, ParsePending(value)?.Number, cancellationToken).ConfigureAwait(false);
        return created;
    }

    /// <summary>Removes the pending-build annotation if it still names build <paramref name="number"/> (any value when null or unreadable).</summary>
    private async Task ClearPendingAsync(string ns, string name, long? number, CancellationToken cancellationToken)
    {
        try
        {
            await configs.GuaranteedUpdateAsync(ns, name, config =>
                config.Metadata.Annotation(PendingBuildAnnotation) is { } value && (number is null || (ParsePending(value)?.Number ?? number) == number)
                    ? config with { Metadata = config.Metadata.WithAnnotation(PendingBuildAnnotation, null) }
                    : null,
                WriteScope.Status, cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException e) when (e.Reason == StatusReasons.NotFound)
        {
        }
    }

    private static string PendingValue(long number, BuildRequest request) =>
        JsonSerializer.Serialize(new PendingBuild(number, request with { Binary = null }), ResourceJson.Options);

    private static PendingBuild? ParsePending(string value)
    {
        try
        {
            return JsonSerializer.Deserialize<PendingBuild>(value, ResourceJson.Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private sealed record PendingBuild(long Number, BuildRequest Request);

    /// <summary>Records further triggers' images beside the one that started the build (OpenShift marks every trigger, avoiding build storms).</summary>
    private static IReadOnlyList<ImageChangeTriggerStatus>? Observed(
        BuildConfig config, IReadOnlyList<ImageChangeTriggerStatus>? statuses, IReadOnlyList<ImageChangeTriggerStatus>? observed, DateTimeOffset now)
    {
        if (observed is not { Count: > 0 })
        {
            return statuses;
        }
        var list = (statuses ?? []).ToList();
        foreach (var entry in observed)
        {
            var index = list.FindIndex(s => s.From?.Name == entry.From?.Name &&
                (s.From?.Namespace ?? config.Metadata.Namespace) == (entry.From?.Namespace ?? config.Metadata.Namespace));
            var value = entry with { LastTriggerTime = entry.LastTriggerTime ?? now };
            if (index >= 0)
            {
                list[index] = value;
            }
            else
            {
                list.Add(value);
            }
        }
        return list;
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
        if (BaseOverride(config, request) is { } from)
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

    /// <summary>
    /// The base image a request sets. A request triggered by an image names the trigger's tag in From: when that tag is the
    /// strategy's from, the build starts from the triggering image itself (by digest), and a trigger on any other tag leaves
    /// the base alone. Any other request's From replaces the strategy's from as given.
    /// </summary>
    private static ObjectReference? BaseOverride(BuildConfig config, BuildRequest request)
    {
        if (request.TriggeredByImage is not { Name: { Length: > 0 } image })
        {
            return request.From;
        }
        var ns = config.Metadata.Namespace;
        var triggerTag = StreamTagKey.Of(request.From, ns);
        var strategyTag = StreamTagKey.Of(config.Spec.Strategy.From, ns);
        return triggerTag is not null && triggerTag == strategyTag
            ? new ObjectReference { Kind = SourceKinds.DockerImage, Name = image }
            : null;
    }

    /// <summary>Variables of the request replace those of the same name and add the others.</summary>
    private static List<EnvVar> Merge(IReadOnlyList<EnvVar>? existing, IReadOnlyList<EnvVar> overrides) =>
        [.. (existing ?? []).Where(e => overrides.All(o => o.Name != e.Name)), .. overrides];
}
