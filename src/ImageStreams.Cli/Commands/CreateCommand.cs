using System.CommandLine;
using ImageStreams.Cli.Api;
using ImageStreams.Cli.Printers;
using ImageStreams.Cli.Resources;

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

              # Registry credentials for the imports of the current namespace
              isctl create secret docker-registry quay --docker-server=quay.io --docker-username=robot --docker-password=TOKEN
            """)
        {
            files, output,
        };
        command.Subcommands.Add(CreateSecretCommand.Create(host));
        command.SetContextAction(host, (context, parse, cancellationToken) =>
            RunAsync(context, parse.GetValue(files) ?? [], parse.GetValue(output), cancellationToken));
        return command;
    }

    private static Task<int> RunAsync(CommandContext context, IReadOnlyList<string> files, string? output, CancellationToken cancellationToken) =>
        ManifestWrites.WriteEachAsync(context, ManifestWrites.Read(context, files, "create"), output, async (manifest, ns, token) =>
            ("created", await context.Api.CreateAsync(ResourcePaths.Collection(manifest.Type, ns), ApplyPlan.Desired(manifest, ns), token)),
            cancellationToken);
}
