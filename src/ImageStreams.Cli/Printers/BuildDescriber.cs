using System.Globalization;
using ImageStreams.Model.Build;
using ImageStreams.Model.Meta;
using BuildModel = ImageStreams.Model.Build.Build;

namespace ImageStreams.Cli.Printers;

/// <summary>oc's <c>describe bc</c> and <c>describe build</c>: the metadata, the strategy and source, then the builds or the outcome.</summary>
internal static class BuildDescriber
{
    /// <summary>Builds listed under a BuildConfig, newest first.</summary>
    public const int ListedBuilds = 10;

    public static string DescribeConfig(BuildConfig config, IReadOnlyList<BuildModel> builds, DateTimeOffset now)
    {
        var text = new TabbedText();
        ImageStreamDescriber.WriteMeta(text, config.Metadata, now);
        ImageStreamDescriber.WriteField(text, "Latest Version", config.Status?.LastVersion is > 0 and var version
            ? version.ToString(CultureInfo.InvariantCulture)
            : "Never built");
        text.Line();
        WriteCommon(text, config.Spec.Strategy, config.Spec.Source, null, config.Spec.Output);
        text.Line();
        ImageStreamDescriber.WriteField(text, "Build Run Policy", config.Spec.RunPolicy ?? BuildRunPolicies.Serial);
        ImageStreamDescriber.WriteField(text, "Triggered by", Triggers(config));
        if (config.Metadata.Annotation(BuildTriggers.DiscoverAnnotation) == "false")
        {
            ImageStreamDescriber.WriteField(text, "Dockerfile Triggers", $"off ({BuildTriggers.DiscoverAnnotation}=false)");
        }
        text.Line("Builds History Limit:");
        text.Line($"\tSuccessful:\t{Limit(config.Spec.SuccessfulBuildsHistoryLimit)}");
        text.Line($"\tFailed:\t{Limit(config.Spec.FailedBuildsHistoryLimit)}");
        text.Line();
        if (builds.Count == 0)
        {
            text.Line("Build\tStatus\tDuration\tCreation Time");
            text.Line("<none>");
        }
        else
        {
            text.Line("Build\tStatus\tDuration\tCreation Time");
            foreach (var build in builds.OrderByDescending(b => b.Number).Take(ListedBuilds))
            {
                var created = build.Metadata.CreationTimestamp is { } c ? Timestamp(c) : "";
                text.Line($"{build.Metadata.Name}\t{build.Status.Phase.ToLowerInvariant()}\t{BuildColumns.Duration(build.Status)}\t{created}");
            }
        }
        text.Line();
        text.Line("Events:\t<none>");
        return text.ToString();
    }

    public static string DescribeBuild(BuildModel build, DateTimeOffset now)
    {
        var text = new TabbedText();
        ImageStreamDescriber.WriteMeta(text, build.Metadata, now);
        text.Line();
        ImageStreamDescriber.WriteField(text, "Status", BuildColumns.Status(build.Status));
        if (!string.IsNullOrEmpty(build.Status.Message))
        {
            ImageStreamDescriber.WriteField(text, "Message", build.Status.Message);
        }
        if (build.Status.StartTimestamp is { } started)
        {
            ImageStreamDescriber.WriteField(text, "Started", Timestamp(started));
        }
        var duration = build.Status.Duration is not null ? BuildColumns.Duration(build.Status)
            : build.Status.StartTimestamp is { } since ? $"running for {BuildColumns.Format(now - since)}"
            : "waiting";
        ImageStreamDescriber.WriteField(text, "Duration", duration);
        text.Line();
        ImageStreamDescriber.WriteField(text, "Build Config", build.ConfigName ?? "<none>");
        text.Line();
        WriteCommon(text, build.Spec.Strategy, build.Spec.Source, build.Spec.Revision, build.Spec.Output);
        if (build.Status.Output?.To?.ImageDigest is { Length: > 0 } digest)
        {
            ImageStreamDescriber.WriteField(text, "Output Image Digest", digest);
        }
        var causes = build.Spec.TriggeredBy ?? [];
        ImageStreamDescriber.WriteField(text, "Build trigger cause", string.Join("\n", causes.Select(Cause)));
        if (build.Status.LogSnippet is { Length: > 0 } snippet)
        {
            text.Line();
            ImageStreamDescriber.WriteField(text, "Log Tail", snippet);
        }
        text.Line();
        text.Line("Events:\t<none>");
        return text.ToString();
    }

    private static void WriteCommon(TabbedText text, BuildStrategy strategy, BuildSource source, SourceRevision? revision, BuildOutput output)
    {
        ImageStreamDescriber.WriteField(text, "Strategy", strategy.Type ?? "");
        if (source.Git is { } git)
        {
            ImageStreamDescriber.WriteField(text, "URL", git.Uri);
            if (!string.IsNullOrEmpty(git.Ref))
            {
                ImageStreamDescriber.WriteField(text, "Ref", git.Ref);
            }
        }
        if (source.Binary is { } binary)
        {
            ImageStreamDescriber.WriteField(text, "Binary", string.IsNullOrEmpty(binary.AsFile) ? "provided on build" : $"provided as file \"{binary.AsFile}\" on build");
        }
        if (!string.IsNullOrEmpty(source.Dockerfile))
        {
            ImageStreamDescriber.WriteField(text, "Dockerfile", source.Dockerfile.TrimEnd());
        }
        if (!string.IsNullOrEmpty(source.ContextDir))
        {
            ImageStreamDescriber.WriteField(text, "ContextDir", source.ContextDir);
        }
        if (revision?.Git?.Commit is { Length: > 0 } commit)
        {
            ImageStreamDescriber.WriteField(text, "Commit", string.IsNullOrEmpty(revision.Git.Message) ? commit : $"{commit} ({revision.Git.Message})");
        }
        if (strategy.From is { } from)
        {
            ImageStreamDescriber.WriteField(text, "From Image", $"{from.Kind} {Qualified(from)}");
        }
        if (strategy.DockerStrategy?.DockerfilePath is { Length: > 0 } path)
        {
            ImageStreamDescriber.WriteField(text, "Dockerfile Path", path);
        }
        if (strategy.DockerStrategy?.NoCache == true)
        {
            ImageStreamDescriber.WriteField(text, "No Cache", "true");
        }
        var env = strategy.DockerStrategy?.Env ?? strategy.SourceStrategy?.Env;
        if (env is { Count: > 0 })
        {
            ImageStreamDescriber.WriteField(text, "Environment", string.Join("\n", env.Select(e => $"{e.Name}={e.Value}")));
        }
        if (strategy.DockerStrategy?.BuildArgs is { Count: > 0 } args)
        {
            ImageStreamDescriber.WriteField(text, "Build Args", string.Join("\n", args.Select(e => $"{e.Name}={e.Value}")));
        }
        ImageStreamDescriber.WriteField(text, "Output to", output.To is { } to ? $"{to.Kind} {Qualified(to)}" : "<none>");
        if (output.PushSecret?.Name is { Length: > 0 } secret)
        {
            ImageStreamDescriber.WriteField(text, "Push Secret", secret);
        }
    }

    private static string Triggers(BuildConfig config)
    {
        var names = (config.Spec.Triggers ?? []).Select(t => t.Type switch
        {
            BuildTriggerTypes.ConfigChange => "Config",
            BuildTriggerTypes.ImageChange => ImageChange(config, t),
            var other => other,
        }).ToList();
        return names.Count == 0 ? "<none>" : string.Join(", ", names);
    }

    /// <summary>An image change trigger with its tag, and whether it was found in the Dockerfile or is paused.</summary>
    private static string ImageChange(BuildConfig config, BuildTriggerPolicy trigger)
    {
        var notes = new List<string>();
        if (trigger.ImageChange?.From is { } from)
        {
            notes.Add(Qualified(from));
        }
        var tag = StreamTagKey.Of(trigger.ImageChange?.From ?? config.Spec.Strategy.From, config.Metadata.Namespace);
        if (tag is not null && (config.Metadata.Annotation(BuildTriggers.DiscoveredAnnotation) ?? "").Split(',').Contains(tag.ToString()))
        {
            notes.Add("found in the Dockerfile");
        }
        if (trigger.ImageChange?.Paused == true)
        {
            notes.Add("paused");
        }
        return notes.Count == 0 ? "ImageChange" : $"ImageChange ({string.Join(", ", notes)})";
    }

    private static string Cause(BuildTriggerCause cause) =>
        cause.ImageChangeBuild?.ImageId is { Length: > 0 } image ? $"{cause.Message}\n\tImage ID:\t{image}" : cause.Message ?? "";

    private static string Qualified(ObjectReference reference) =>
        string.IsNullOrEmpty(reference.Namespace) ? reference.Name ?? "" : $"{reference.Namespace}/{reference.Name}";

    /// <summary>A point in time as oc prints it (Go's RFC 1123 with a numeric zone), in UTC.</summary>
    private static string Timestamp(DateTimeOffset time) =>
        time.UtcDateTime.ToString("ddd, dd MMM yyyy HH:mm:ss '+0000'", CultureInfo.InvariantCulture);

    private static string Limit(int? limit) => limit?.ToString(CultureInfo.InvariantCulture) ?? "unlimited";
}
