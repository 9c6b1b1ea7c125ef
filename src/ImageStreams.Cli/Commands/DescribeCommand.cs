using System.CommandLine;
using System.Text;
using System.Text.Json.Nodes;
using ImageStreams.Cli.Api;
using ImageStreams.Cli.Printers;
using ImageStreams.Cli.Resources;
using ImageStreams.Model.Core;
using ImageStreams.Model.Build;
using ImageStreams.Model.Image;
using ImageStreams.Model.Meta;
using ImageStreams.Model.Workloads;

namespace ImageStreams.Cli.Commands;

/// <summary><c>isctl describe</c>: image streams, images, BuildConfigs and builds in oc's layout; other kinds as YAML.</summary>
internal static class DescribeCommand
{
    public static Command Create(CliHost host)
    {
        var resources = new Argument<string[]>("resources")
        {
            Arity = ArgumentArity.ZeroOrMore,
            Description = "TYPE [NAME...] or TYPE/NAME...; without a name, every resource of the type in the namespace",
        };
        var command = new DocumentedCommand("describe", "Show the details of resources.", """
            An image stream shows its repository, then each tag: where it comes from, whether an import is running or
            failed, and its history with the current image marked '*'. An image, image stream tag (NAME:TAG) or image
            stream image (NAME@DIGEST) shows the image: its size and layers, then its configuration (command,
            user, ports, labels, environment).

            Examples:
              # Describe an image stream
              isctl describe is rhel7

              # Describe every image stream of a namespace
              isctl describe is -n team-a

              # Describe the image a tag points at
              isctl describe istag rhel7:latest

              # Describe an image by its digest
              isctl describe image sha256:e3f12513a4b22a2d7c0e7c9207f52128113758d9d68c7d06b11a0ac7672966f7
            """)
        {
            resources,
        };
        command.SetContextAction(host, (context, parse, cancellationToken) =>
            RunAsync(context, parse.GetValue(resources) ?? [], cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(CommandContext context, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var failed = false;
        var printed = 0;
        foreach (var selection in ResourceArgs.Parse(args, "describe"))
        {
            var type = selection.Type;
            var objects = new List<JsonObject>();
            if (selection.Names.Count == 0)
            {
                ResourceArgs.RequireVerb(type, "list");
                var list = await context.Api.GetAsync(ResourcePaths.Collection(type, context.Namespace), cancellationToken);
                objects.AddRange((list["items"] as JsonArray ?? []).OfType<JsonObject>());
                if (objects.Count == 0)
                {
                    context.Error.WriteLine(type.Namespaced ? $"No resources found in {context.Namespace} namespace." : "No resources found");
                }
            }
            else
            {
                ResourceArgs.RequireVerb(type, "get");
                foreach (var name in selection.Names)
                {
                    try
                    {
                        objects.Add(await context.Api.GetAsync(ResourcePaths.Item(type, context.Namespace, name), cancellationToken));
                    }
                    catch (ApiException e)
                    {
                        context.Error.WriteLine(CliErrors.Describe(e));
                        failed = true;
                    }
                }
            }
            foreach (var obj in objects)
            {
                string description;
                try
                {
                    description = type == ResourceTypes.ImageStreams ? await DescribeStreamAsync(context, obj, cancellationToken)
                        : type == ResourceTypes.BuildConfigs ? await DescribeConfigAsync(context, obj, cancellationToken)
                        : Describe(type, obj, context.Now);
                }
                catch (CliException e)
                {
                    context.Error.WriteLine(CliErrors.Describe(e));
                    failed = true;
                    continue;
                }
                // Descriptions are separated by two blank lines, as kubectl separates them.
                if (printed++ > 0)
                {
                    context.Out.Write("\n\n");
                }
                context.Out.Write(description);
            }
        }
        return failed ? 1 : 0;
    }

    /// <summary>An image stream, with the scheduled-import state of its scheduled tags when the server has it.</summary>
    private static async Task<string> DescribeStreamAsync(CommandContext context, JsonObject obj, CancellationToken cancellationToken)
    {
        var stream = ObjectPrinter.As<ImageStream>(obj);
        ImageStreamSchedule? schedule = null;
        if (stream.Spec.Tags?.Any(t => t.ImportPolicy.Scheduled) == true)
        {
            try
            {
                var path = ResourcePaths.Item(ResourceTypes.ImageStreams, stream.Metadata.Namespace, stream.Metadata.Name!) + "/schedule";
                schedule = ObjectPrinter.As<ImageStreamSchedule>(await context.Api.GetAsync(path, cancellationToken));
            }
            catch (ApiException)
            {
                // The schedule only adds detail; a server without it still gets the rest of the description.
            }
        }
        return ImageStreamDescriber.Describe(stream, context.Now, schedule, await TriggeredAsync(context, stream, cancellationToken));
    }

    /// <summary>Per tag of the stream, the BuildConfigs and workloads (in any namespace) whose image change triggers watch it.</summary>
    private static async Task<IReadOnlyDictionary<string, IReadOnlyList<string>>?> TriggeredAsync(
        CommandContext context, ImageStream stream, CancellationToken cancellationToken)
    {
        var triggered = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        void Add(StreamTagKey tag, ResourceType type, ObjectMeta metadata, bool paused)
        {
            if (tag.Namespace != stream.Metadata.Namespace || tag.Stream != stream.Metadata.Name)
            {
                return;
            }
            var name = metadata.Namespace == stream.Metadata.Namespace
                ? $"{type.Singular}/{metadata.Name}"
                : $"{type.Singular}/{metadata.Namespace}/{metadata.Name}";
            if (!triggered.TryGetValue(tag.Tag, out var names))
            {
                triggered[tag.Tag] = names = [];
            }
            names.Add(paused ? $"{name} (paused)" : name);
        }

        if (await ListAsync(context, ResourceTypes.BuildConfigs, cancellationToken) is not { } configs)
        {
            return null;
        }
        foreach (var config in configs.Select(ObjectPrinter.As<BuildConfig>))
        {
            foreach (var watched in BuildTriggers.Watched(config))
            {
                Add(watched.Tag, ResourceTypes.BuildConfigs, config.Metadata, watched.Paused);
            }
        }
        foreach (var type in new[] { ResourceTypes.Deployments, ResourceTypes.StatefulSets, ResourceTypes.DaemonSets, ResourceTypes.CronJobs })
        {
            foreach (var obj in await ListAsync(context, type, cancellationToken) ?? [])
            {
                var metadata = ObjectPrinter.As<ObjectMeta>(obj["metadata"] as JsonObject ?? []);
                foreach (var trigger in WorkloadTriggers.Read(metadata).Triggers)
                {
                    if (WorkloadTriggers.Tag(trigger, metadata.Namespace) is { } tag)
                    {
                        Add(tag, type, metadata, trigger.Paused);
                    }
                }
            }
        }
        return triggered.ToDictionary(p => p.Key, p => (IReadOnlyList<string>)p.Value, StringComparer.Ordinal);
    }

    /// <summary>The objects of a resource in every namespace; null when the reader may not list them (they only add detail).</summary>
    private static async Task<IEnumerable<JsonObject>?> ListAsync(CommandContext context, ResourceType type, CancellationToken cancellationToken)
    {
        try
        {
            var list = await context.Api.GetAsync(ResourcePaths.Collection(type, null), cancellationToken);
            return (list["items"] as JsonArray ?? []).OfType<JsonObject>();
        }
        catch (ApiException)
        {
            return null;
        }
    }

    /// <summary>A BuildConfig with its builds.</summary>
    private static async Task<string> DescribeConfigAsync(CommandContext context, JsonObject obj, CancellationToken cancellationToken)
    {
        var config = ObjectPrinter.As<BuildConfig>(obj);
        var path = ResourcePaths.WithQuery(ResourcePaths.Collection(ResourceTypes.Builds, config.Metadata.Namespace),
            ("labelSelector", $"{BuildApi.BuildConfigLabel}={config.Metadata.Name}"));
        var list = await context.Api.GetAsync(path, cancellationToken);
        var builds = (list["items"] as JsonArray ?? []).OfType<JsonObject>().Select(ObjectPrinter.As<Build>).ToList();
        return BuildDescriber.DescribeConfig(config, builds, context.Now);
    }

    private static string Describe(ResourceType type, JsonObject obj, DateTimeOffset now)
    {
        if (type == ResourceTypes.Builds)
        {
            return BuildDescriber.DescribeBuild(ObjectPrinter.As<Build>(obj), now);
        }
        if (type == ResourceTypes.ImageStreams)
        {
            return ImageStreamDescriber.Describe(ObjectPrinter.As<ImageStream>(obj), now);
        }
        if (type == ResourceTypes.ImageStreamTags)
        {
            return DescribeTag(ObjectPrinter.As<ImageStreamTag>(obj), now);
        }
        if (type == ResourceTypes.ImageStreamImages)
        {
            var streamImage = ObjectPrinter.As<ImageStreamImage>(obj);
            return ImageDescriber.Describe(streamImage.Image, streamImage.Metadata.Name, now);
        }
        if (type == ResourceTypes.Images)
        {
            return ImageDescriber.Describe(ObjectPrinter.As<Image>(obj), null, now);
        }
        if (type == ResourceTypes.Secrets)
        {
            return DescribeSecret(ObjectPrinter.As<Secret>(obj));
        }
        using var text = new StringWriter();
        ObjectPrinter.Write(text, ObjectPrinter.WithTypeMeta(type, obj), OutputFormats.Yaml);
        return text.ToString();
    }

    /// <summary>A secret as kubectl describes it: the size of each value, never the value.</summary>
    private static string DescribeSecret(Secret secret)
    {
        var text = new StringBuilder();
        text.Append($"Name:         {secret.Metadata.Name}\n");
        text.Append($"Namespace:    {secret.Metadata.Namespace}\n");
        text.Append($"Labels:       {Pairs(secret.Metadata.Labels)}\n");
        text.Append($"Annotations:  {Pairs(secret.Metadata.Annotations?.Where(a => a.Key != LastAppliedAnnotation).ToDictionary())}\n");
        text.Append($"\nType:  {secret.Type}\n\nData\n====\n");
        foreach (var (key, value) in (secret.Data ?? new Dictionary<string, string>()).OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var size = value.Length * 3 / 4 - (value.EndsWith("==", StringComparison.Ordinal) ? 2 : value.EndsWith('=') ? 1 : 0);
            text.Append($"{key}:  {size} bytes\n");
        }
        return text.ToString();
    }

    private const string LastAppliedAnnotation = "kubectl.kubernetes.io/last-applied-configuration";

    private static string Pairs(IReadOnlyDictionary<string, string>? pairs) =>
        pairs is not { Count: > 0 } ? "<none>" : string.Join("\n              ", pairs.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));

    /// <summary>The image a tag points at, named by the tag (as import-image names it); a tag without one yet is an error that says why.</summary>
    private static string DescribeTag(ImageStreamTag tag, DateTimeOffset now)
    {
        if (tag.Image is { } image)
        {
            return ImageDescriber.Describe(image, tag.Metadata.Name, now);
        }
        var failure = tag.Conditions?.FirstOrDefault(c => c.Type == TagEventConditionTypes.ImportSuccess && c.Status == "False");
        throw new CliException(failure is null
            ? $"image stream tag \"{tag.Metadata.Name}\" does not point to an image yet"
            : $"image stream tag \"{tag.Metadata.Name}\" does not point to an image: import failed ({failure.Reason}): {failure.Message}");
    }
}
