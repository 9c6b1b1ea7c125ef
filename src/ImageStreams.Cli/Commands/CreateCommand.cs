using System.CommandLine;
using System.Text.Json.Nodes;
using ImageStreams.Cli.Api;
using ImageStreams.Cli.Printers;
using ImageStreams.Cli.Resources;
using ImageStreams.Model.Meta;

namespace ImageStreams.Cli.Commands;

/// <summary><c>isctl create -f</c>: creates every object of the files; an existing one is an error.</summary>
internal static class CreateCommand
{
    public static Command Create(CliHost host)
    {
        var files = FileOptions.Filename("that contains the resources to create");
        var output = GlobalOptions.Output(OutputFormats.Yaml, OutputFormats.Json, OutputFormats.Name);
        var command = new DocumentedCommand("create", "Create resources from files or standard input.", """
            Unlike apply, an object that already exists is reported as AlreadyExists and left as it is.
            Server-owned fields in the file (uid, resourceVersion, selfLink, creationTimestamp, generation, status)
            are ignored. An object goes to its metadata.namespace, else to -n.

            Examples:
              # Create an image stream
              isctl create -f rhel7.yaml

              # Create from standard input into namespace team-a
              isctl create -n team-a -f - < rhel7.yaml
            """)
        {
            files, output,
        };
        command.SetContextAction(host, (context, parse, cancellationToken) =>
            RunAsync(context, parse.GetValue(files) ?? [], parse.GetValue(output), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(CommandContext context, IReadOnlyList<string> files, string? output, CancellationToken cancellationToken)
    {
        if (files.Count == 0)
        {
            throw new CliException("must give -f with a file, a directory or - for standard input");
        }
        var targets = ManifestReader.Read(files, context.Host.In, "create").Select(m => (Manifest: m, Namespace: context.NamespaceFor(m))).ToList();
        var failed = false;
        var results = new List<(ResourceType, JsonObject)>();
        foreach (var (manifest, ns) in targets)
        {
            try
            {
                var created = await context.Api.CreateAsync(
                    ResourcePaths.Collection(manifest.Type, ns), ApplyPlan.Desired(manifest, ns), cancellationToken);
                results.Add((manifest.Type, created));
                if (!OutputFormats.IsDocument(output))
                {
                    // The server's name, since a file may give only generateName.
                    var name = ObjectPrinter.QualifiedName(manifest.Type, ObjectPrinter.NameOf(created) ?? manifest.Name);
                    context.Out.WriteLine(output == OutputFormats.Name ? name : $"{name} created");
                }
            }
            catch (ApiException e)
            {
                context.Error.WriteLine(CliErrors.Describe(e));
                failed = true;
            }
        }
        ObjectPrinter.WriteResults(context.Out, output, results);
        return failed ? 1 : 0;
    }
}
