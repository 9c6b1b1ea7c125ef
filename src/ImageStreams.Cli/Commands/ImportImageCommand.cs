using System.CommandLine;
using System.Text.Json.Nodes;
using ImageStreams.Cli.Api;
using ImageStreams.Cli.Images;
using ImageStreams.Cli.Printers;
using ImageStreams.Model.Image;
using ImageStreams.Model.Meta;
using ImageStreams.Model.Serialization;

namespace ImageStreams.Cli.Commands;

/// <summary><c>isctl import-image</c>: imports images from a registry into a stream through an ImageStreamImport, as oc does.</summary>
internal static class ImportImageCommand
{
    /// <summary>How long an import may run: the server reads every image from its registry before it answers (oc allows an hour).</summary>
    public static readonly TimeSpan ImportTimeout = TimeSpan.FromHours(1);

    public static Command Create(CliHost host)
    {
        var target = new Argument<string>("name") { Description = "The image stream and tag to import into: NAME[:TAG] (TAG defaults to latest)" };
        var from = new Option<string?>("--from") { Description = "The registry image (or, with --all, repository) to import from" };
        var confirm = new Option<bool>("--confirm") { Description = "Allow the import to create the image stream or change where it imports from" };
        var all = new Option<bool>("--all") { Description = "Import every tag of the repository (of --from, or the stream's own), or every registry tag of the stream" };
        var scheduled = new Option<bool>("--scheduled") { Description = "Keep the imported tags up to date by importing them periodically" };
        var insecure = new Option<bool>("--insecure")
        {
            Description = "Allow plain HTTP and unverified HTTPS to the registry (overrides the stream's insecure annotation)",
        };
        var referencePolicy = new Option<string?>("--reference-policy")
        {
            Description = "How the tags are pulled: source (from the registry, the default) or local (through this server)",
        };
        var importMode = new Option<string?>("--import-mode")
        {
            Description = "For manifest lists: Legacy (one platform, the default) or PreserveOriginal (the list and every platform)",
        };
        var dryRun = new Option<bool>("--dry-run") { Description = "Read the images and show the result without changing the stream" };
        var output = GlobalOptions.Output(OutputFormats.Yaml, OutputFormats.Json);
        var command = new DocumentedCommand("import-image", "Import images from a container image registry into an image stream.", """
            Reads the images a tag (or a whole repository) points at in its registry and records them in the image
            stream: each tag gets the image's digest, and its history grows when the digest changed. Only metadata is
            copied, not the layers. Running it again is harmless: unchanged tags are left as they are.

            A new stream needs --confirm. An existing tag is re-imported from its own source; to point it somewhere
            else, use 'isctl tag'. The command exits with 1 when any image failed to import.

            Examples:
              # Create stream rhel7 with tag latest, kept up to date from the registry
              isctl import-image rhel7:latest --from registry.access.redhat.com/rhel7:latest --scheduled --confirm

              # Import tag latest of an existing stream again
              isctl import-image rhel7

              # Import every tag of a repository into a new stream
              isctl import-image mystream --from registry.io/repo/image --all --confirm

              # See what an import would find, without changing anything
              isctl import-image rhel7 --dry-run
            """)
        {
            target, from, confirm, all, scheduled, insecure, referencePolicy, importMode, dryRun, output,
        };
        command.SetContextAction(host, (context, parse, cancellationToken) =>
        {
            var options = new ImportImageOptions(
                parse.GetValue(target)!,
                parse.GetValue(from),
                parse.GetValue(confirm),
                parse.GetValue(all),
                parse.GetValue(scheduled),
                parse.GetResult(insecure) is { Implicit: false } ? parse.GetValue(insecure) : null,
                parse.GetValue(referencePolicy),
                parse.GetValue(importMode),
                parse.GetValue(dryRun));
            return RunAsync(context, options, parse.GetValue(output), cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(CommandContext context, ImportImageOptions options, string? output, CancellationToken cancellationToken)
    {
        var target = ImportImagePlan.ParseTarget(options);
        var stream = await FindStreamAsync(context, target.Stream, cancellationToken);
        var request = ImportImagePlan.Build(options, context.Namespace, stream);

        var path = ResourcePaths.Collection(ResourceTypes.ImageStreamImports, context.Namespace);
        var answer = await context.Api.CreateAsync(path, ResourceJson.ToNode(request), ImportTimeout, cancellationToken);
        var result = ObjectPrinter.As<ImageStreamImport>(answer);
        var report = ImportResultPrinter.Format(result, options.DryRun, context.Now);

        foreach (var error in report.Errors)
        {
            context.Error.WriteLine(error);
        }
        if (OutputFormats.IsDocument(output))
        {
            // Like oc -o: the stream, here as the import left it.
            var imported = answer["status"]?["import"] as JsonObject;
            ObjectPrinter.Write(context.Out,
                imported is null ? ObjectPrinter.WithTypeMeta(ResourceTypes.ImageStreamImports, answer) : ObjectPrinter.WithTypeMeta(ResourceTypes.ImageStreams, imported),
                output!);
        }
        else
        {
            context.Out.Write(report.Output);
        }
        return report.Failed ? 1 : 0;
    }

    private static async Task<ImageStream?> FindStreamAsync(CommandContext context, string name, CancellationToken cancellationToken)
    {
        try
        {
            var json = await context.Api.GetAsync(ResourcePaths.Item(ResourceTypes.ImageStreams, context.Namespace, name), cancellationToken);
            return ObjectPrinter.As<ImageStream>(json);
        }
        catch (ApiException e) when (e.Status.Reason == StatusReasons.NotFound)
        {
            return null;
        }
    }
}
