using System.CommandLine;
using ImageStreams.Cli.Api;
using ImageStreams.Cli.Printers;
using ImageStreams.Cli.Resources;
using ImageStreams.Model.Meta;

namespace ImageStreams.Cli.Commands;

/// <summary><c>isctl delete</c>: by TYPE NAME..., TYPE/NAME... or the objects of files.</summary>
internal static class DeleteCommand
{
    public static Command Create(CliHost host)
    {
        var resources = new Argument<string[]>("resources")
        {
            Arity = ArgumentArity.ZeroOrMore,
            Description = "TYPE NAME... or TYPE/NAME...; TYPE is one of: " + ResourceArgs.KnownTypes,
        };
        var files = FileOptions.Filename("that contains the resources to delete");
        var output = GlobalOptions.Output(OutputFormats.Name);
        var command = new DocumentedCommand("delete", "Delete resources by name or by the objects of files.", """
            Deleting a namespace deletes everything in it. Deleting an image stream tag (istag NAME:TAG) removes the
            tag from the stream's spec and status.

            Examples:
              # Delete an image stream
              isctl delete is rhel7

              # Delete a tag of a stream
              isctl delete istag rhel7:latest

              # Delete what a file describes
              isctl delete -f rhel7.yaml
            """)
        {
            resources, files, output,
        };
        command.SetContextAction(host, (context, parse, cancellationToken) =>
            RunAsync(context, parse.GetValue(resources) ?? [], parse.GetValue(files) ?? [], parse.GetValue(output), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(
        CommandContext context, IReadOnlyList<string> args, IReadOnlyList<string> files, string? output, CancellationToken cancellationToken)
    {
        var targets = Targets(context, args, files);
        var failed = false;
        foreach (var (type, ns, name) in targets)
        {
            try
            {
                await context.Api.DeleteAsync(ResourcePaths.Item(type, ns, name), cancellationToken);
                context.Out.WriteLine(output == OutputFormats.Name
                    ? ObjectPrinter.QualifiedName(type, name)
                    : $"{ObjectPrinter.KindName(type)} \"{name}\" deleted");
            }
            catch (ApiException e)
            {
                context.Error.WriteLine(CliErrors.Describe(e));
                failed = true;
            }
        }
        return failed ? 1 : 0;
    }

    private static List<(ResourceType Type, string? Namespace, string Name)> Targets(
        CommandContext context, IReadOnlyList<string> args, IReadOnlyList<string> files)
    {
        if (files.Count > 0)
        {
            if (args.Count > 0)
            {
                throw new CliException("resources cannot be named as arguments when -f is given");
            }
            var manifests = ManifestReader.Read(files, context.Host.In, "delete");
            if (manifests.FirstOrDefault(m => string.IsNullOrEmpty(m.Name)) is { } unnamed)
            {
                throw new CliException($"{unnamed.Source}: metadata.name is required to delete an object");
            }
            return manifests.Select(m => (m.Type, context.NamespaceFor(m), m.Name!)).ToList();
        }
        var selections = ResourceArgs.Parse(args, "delete");
        if (selections.FirstOrDefault(s => s.Names.Count == 0) is { } nameless)
        {
            var type = nameless.Type;
            throw new CliException($"a name is required to delete {type.Resource} (isctl delete {(type.ShortNames.Count > 0 ? type.ShortNames[0] : type.Resource)} NAME)");
        }
        foreach (var selection in selections)
        {
            ResourceArgs.RequireVerb(selection.Type, "delete");
        }
        return selections
            .SelectMany(s => s.Names.Select(n => (s.Type, s.Type.Namespaced ? context.Namespace : null, n)))
            .ToList();
    }
}
