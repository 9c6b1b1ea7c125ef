using System.CommandLine;
using ImageStreams.Cli.Api;
using ImageStreams.Cli.Printers;
using ImageStreams.Model.Build;
using ImageStreams.Model.Image;
using ImageStreams.Model.Meta;
using ImageStreams.Model.Serialization;

namespace ImageStreams.Cli.Commands;

/// <summary><c>isctl set triggers</c>: lists, adds, removes, pauses and resumes the image change triggers of a BuildConfig.</summary>
internal static class SetCommand
{
    public static Command Create(CliHost host)
    {
        var set = new Command("set", "Update a field of existing objects (triggers).");
        set.Subcommands.Add(CreateTriggers(host));
        return set;
    }

    private static Command CreateTriggers(CliHost host)
    {
        var target = new Argument<string>("bc/NAME") { Description = "The BuildConfig, as bc/NAME or buildconfig/NAME" };
        var fromImage = new Option<string?>("--from-image") { Description = "The image stream tag a trigger watches: STREAM:TAG or NAMESPACE/STREAM:TAG" };
        var remove = new Option<bool>("--remove") { Description = "Remove the trigger on --from-image instead of adding it" };
        var auto = new Option<bool>("--auto") { Description = "Resume the trigger(s): builds start when the tag moves (the default for a new trigger)" };
        var manual = new Option<bool>("--manual") { Description = "Pause the trigger(s): the tag is still watched, but starts no build" };
        var command = new DocumentedCommand("triggers", "List or change the image change triggers of a BuildConfig.", """
            Without flags, lists the BuildConfig's triggers. --from-image adds an image change trigger on a tag (or,
            with --remove, removes it). --auto and --manual resume and pause the trigger on --from-image, or every image
            change trigger without it. A trigger that would make builds trigger themselves (a cycle through the tags
            BuildConfigs output to) is refused, naming the cycle.

            Removing a trigger that was added because the Dockerfile's final FROM names the tag also sets the annotation
            triggers.imagestreams.io/discover=false, so it is not added again.

            Examples:
              # Rebuild app-a whenever httpd-base:latest moves
              isctl set triggers bc/app-a --from-image=httpd-base:latest

              # Stop watching it
              isctl set triggers bc/app-a --from-image=httpd-base:latest --remove

              # Pause, then resume, every image change trigger of app-a
              isctl set triggers bc/app-a --manual
              isctl set triggers bc/app-a --auto

              # List the triggers
              isctl set triggers bc/app-a
            """)
        {
            target, fromImage, remove, auto, manual,
        };
        command.SetContextAction(host, (context, parse, cancellationToken) => RunAsync(
            context, parse.GetValue(target)!, parse.GetValue(fromImage), parse.GetValue(remove), parse.GetValue(auto), parse.GetValue(manual), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(
        CommandContext context, string target, string? fromImage, bool remove, bool auto, bool manual, CancellationToken cancellationToken)
    {
        var slash = target.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0 || target[..slash] is not ("bc" or "buildconfig" or "buildconfigs") || slash == target.Length - 1)
        {
            throw new CliException($"set triggers works on BuildConfigs: give bc/NAME, not \"{target}\"");
        }
        if (remove && fromImage is null)
        {
            throw new CliException("--remove needs --from-image=STREAM:TAG, the trigger to remove");
        }
        if (auto && manual)
        {
            throw new CliException("--auto and --manual contradict each other: give one");
        }
        var name = target[(slash + 1)..];
        var ns = context.Namespace;
        var path = ResourcePaths.Item(ResourceTypes.BuildConfigs, ns, name);
        var config = ObjectPrinter.As<BuildConfig>(await context.Api.GetAsync(path, cancellationToken));
        if (fromImage is null && !auto && !manual)
        {
            List(context, config);
            return 0;
        }

        var tag = fromImage is null ? null : ParseTag(fromImage, ns);
        var updated = tag is null ? SetPaused(config, null, manual)
            : remove ? Remove(config, tag)
            : Add(config, tag, manual);
        await context.Api.ReplaceAsync(path, ResourceJson.ToNode(updated), cancellationToken);
        context.Out.WriteLine($"buildconfig.build.openshift.io/{name} updated");
        return 0;
    }

    private static StreamTagKey ParseTag(string value, string ns)
    {
        var slash = value.IndexOf('/', StringComparison.Ordinal);
        var (space, rest) = slash < 0 ? (ns, value) : (value[..slash], value[(slash + 1)..]);
        var reference = new ObjectReference { Kind = SourceKinds.ImageStreamTag, Name = rest, Namespace = space };
        return StreamTagKey.Of(reference, ns) is { } tag && !rest.Contains('/', StringComparison.Ordinal) && !rest.Contains('@', StringComparison.Ordinal)
            ? tag
            : throw new CliException($"--from-image must be STREAM:TAG or NAMESPACE/STREAM:TAG, not \"{value}\"");
    }

    private static BuildConfig Add(BuildConfig config, StreamTagKey tag, bool paused)
    {
        if (BuildTriggers.Watched(config).Any(w => w.Tag == tag))
        {
            return SetPaused(config, tag, paused);
        }
        var trigger = new BuildTriggerPolicy
        {
            Type = BuildTriggerTypes.ImageChange,
            ImageChange = new ImageChangeTrigger
            {
                From = new ObjectReference
                {
                    Kind = SourceKinds.ImageStreamTag,
                    Name = tag.Name,
                    Namespace = tag.Namespace == config.Metadata.Namespace ? null : tag.Namespace,
                },
                Paused = paused,
            },
        };
        return config with { Spec = config.Spec with { Triggers = [.. config.Spec.Triggers ?? [], trigger] } };
    }

    private static BuildConfig Remove(BuildConfig config, StreamTagKey tag)
    {
        var watched = BuildTriggers.Watched(config).FirstOrDefault(w => w.Tag == tag)
            ?? throw new CliException($"buildconfig {config.Metadata.Name} has no image change trigger on {tag.Name}");
        var metadata = config.Metadata;
        if ((metadata.Annotation(BuildTriggers.DiscoveredAnnotation) ?? "").Split(',').Contains(tag.ToString()))
        {
            metadata = metadata.WithAnnotation(BuildTriggers.DiscoverAnnotation, "false");
        }
        return config with
        {
            Metadata = metadata,
            Spec = config.Spec with { Triggers = [.. (config.Spec.Triggers ?? []).Where(t => !ReferenceEquals(t, watched.Trigger))] },
        };
    }

    /// <summary>Pauses or resumes the trigger on <paramref name="tag"/>, or every image change trigger when it is null.</summary>
    private static BuildConfig SetPaused(BuildConfig config, StreamTagKey? tag, bool paused)
    {
        var chosen = BuildTriggers.Watched(config).Where(w => tag is null || w.Tag == tag).Select(w => w.Trigger).ToList();
        if (chosen.Count == 0)
        {
            throw new CliException($"buildconfig {config.Metadata.Name} has no image change triggers");
        }
        var triggers = (config.Spec.Triggers ?? []).Select(t => chosen.Any(c => ReferenceEquals(c, t))
            ? t with { ImageChange = (t.ImageChange ?? new ImageChangeTrigger()) with { Paused = paused } }
            : t).ToList();
        return config with { Spec = config.Spec with { Triggers = triggers } };
    }

    private static void List(CommandContext context, BuildConfig config)
    {
        var rows = new List<IReadOnlyList<string>> { new[] { "TYPE", "VALUE", "AUTO" } };
        var discovered = (config.Metadata.Annotation(BuildTriggers.DiscoveredAnnotation) ?? "").Split(',');
        var watched = BuildTriggers.Watched(config);
        foreach (var trigger in config.Spec.Triggers ?? [])
        {
            switch (trigger.Type)
            {
                case BuildTriggerTypes.ConfigChange:
                    rows.Add(["config", "", "true"]);
                    break;
                case BuildTriggerTypes.ImageChange:
                    var tag = watched.FirstOrDefault(w => ReferenceEquals(w.Trigger, trigger))?.Tag;
                    var value = tag is null ? "" : tag.Namespace == config.Metadata.Namespace ? tag.Name : $"{tag.Namespace}/{tag.Name}";
                    if (tag is not null && discovered.Contains(tag.ToString()))
                    {
                        value += " (from the Dockerfile)";
                    }
                    rows.Add(["image", value, trigger.ImageChange?.Paused == true ? "false" : "true"]);
                    break;
                default:
                    rows.Add(["webhook", trigger.Type.ToLowerInvariant(), "true"]);
                    break;
            }
        }
        new TableWriter(context.Out).Write(rows);
    }
}
