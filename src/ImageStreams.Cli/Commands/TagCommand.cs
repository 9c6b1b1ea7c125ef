using System.CommandLine;
using ImageStreams.Cli.Api;
using ImageStreams.Cli.Images;
using ImageStreams.Cli.Printers;
using ImageStreams.Model.Image;
using ImageStreams.Model.Meta;

namespace ImageStreams.Cli.Commands;

/// <summary><c>isctl tag</c>: points stream tags at a registry image, an image of a stream, or another tag; or removes them.</summary>
internal static class TagCommand
{
    public static Command Create(CliHost host)
    {
        var args = new Argument<string[]>("args")
        {
            Arity = ArgumentArity.ZeroOrMore,
            Description = "SOURCE DEST [DEST...], or with -d the tags to delete; DEST is [NAMESPACE/]STREAM:TAG",
        };
        var source = new Option<string?>("--source") { Description = "The kind of SOURCE when it cannot be told from its form: istag, isimage or docker" };
        var delete = new Option<bool>("--delete", "-d") { Description = "Delete the given spec tags (and their history)" };
        var alias = new Option<bool>("--alias") { Description = "Make the destination follow the source tag as it changes, instead of copying its current image" };
        var reference = new Option<bool>("--reference") { Description = "Only point at the source: never import it" };
        var scheduled = new Option<bool>("--scheduled") { Description = "Import the registry image periodically, so the tag follows it" };
        var insecure = new Option<bool>("--insecure") { Description = "Allow plain HTTP and unverified HTTPS to the registry" };
        var referencePolicy = new Option<string?>("--reference-policy")
        {
            Description = "How the tag is pulled: source (from the registry, the default) or local (through this server)",
        };
        var importMode = new Option<string?>("--import-mode")
        {
            Description = "For manifest lists: Legacy (one platform, the default) or PreserveOriginal (the list and every platform)",
        };
        var command = new DocumentedCommand("tag", "Tag existing images into image streams.", """
            SOURCE is a registry image (it has a registry host, or --source=docker), an image of a stream
            (STREAM@DIGEST) or a stream tag (STREAM:TAG, optionally NAMESPACE/STREAM:TAG). A stream tag is copied: the
            destination gets the image the source points at now. With --alias the destination follows the source
            tag instead. A missing destination stream is created.

            Examples:
              # Point ruby:tip at the image ruby:2.7 has now
              isctl tag ruby:2.7 ruby:tip

              # Make ruby:latest follow ruby:2.7 from now on
              isctl tag --alias ruby:2.7 ruby:latest

              # Tag a registry image, and keep importing it as it changes
              isctl tag --scheduled registry.io/ruby:2.7 ruby:2.7

              # Tag an image of a stream into another namespace
              isctl tag ruby@sha256:6b646fa6bf5e5e4c7fa41056c27910e679c03ebe7f93e361e6515a9da7e258cc team-b/ruby:tip

              # Remove a tag
              isctl tag -d ruby:tip
            """)
        {
            args, source, delete, alias, reference, scheduled, insecure, referencePolicy, importMode,
        };
        command.SetContextAction(host, (context, parse, cancellationToken) => RunAsync(
            context,
            parse.GetValue(args) ?? [],
            new TagOptions(
                parse.GetValue(source),
                parse.GetValue(delete),
                parse.GetValue(alias),
                parse.GetValue(reference),
                parse.GetValue(scheduled),
                parse.GetValue(insecure),
                parse.GetValue(referencePolicy),
                parse.GetValue(importMode)),
            cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(CommandContext context, IReadOnlyList<string> args, TagOptions options, CancellationToken cancellationToken)
    {
        // Unknown flags reach here as arguments; no source or destination starts with '-'.
        if (args.FirstOrDefault(a => a.StartsWith('-')) is { } flag)
        {
            throw new CliException($"unknown flag: {flag} (see 'isctl tag --help')");
        }
        TagPlan.ValidateFlags(options, args.Count);
        var current = context.Namespace;
        if (options.Delete)
        {
            foreach (var destination in TagPlan.ParseDestinations(args, current))
            {
                var path = ResourcePaths.Item(ResourceTypes.ImageStreamTags, destination.Namespace, destination.NameAndTag);
                await context.Api.DeleteAsync(path, cancellationToken);
                context.Out.WriteLine(TagPlan.DeletedMessage(destination));
            }
            return 0;
        }

        var tagSource = TagPlan.ParseSource(args[0], options.Source);
        var destinations = TagPlan.ParseDestinations(args.Skip(1), current);
        if (tagSource.Kind == SourceKinds.ImageStreamTag && !options.Alias)
        {
            var path = ResourcePaths.Item(ResourceTypes.ImageStreams, TagPlan.SourceNamespace(tagSource, current), tagSource.Reference.Name);
            var stream = ObjectPrinter.As<ImageStream>(await context.Api.GetAsync(path, cancellationToken));
            tagSource = TagPlan.ResolveCopy(tagSource, stream, args[0]);
        }
        TagPlan.ValidateSource(options, tagSource);
        foreach (var destination in destinations)
        {
            var tag = TagPlan.SpecTag(options, tagSource, destination, current);
            await SpecTagWriter.SetAsync(context.Api, destination.Namespace, destination.Stream, tag, cancellationToken);
            context.Out.WriteLine(TagPlan.Message(options, tagSource, destination, current));
        }
        return 0;
    }
}
