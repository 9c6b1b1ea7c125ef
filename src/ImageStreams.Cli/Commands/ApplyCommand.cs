using System.CommandLine;
using System.Text.Json.Nodes;
using ImageStreams.Cli.Api;
using ImageStreams.Cli.Printers;
using ImageStreams.Cli.Resources;
using ImageStreams.Model.Meta;

namespace ImageStreams.Cli.Commands;

/// <summary><c>isctl apply -f</c>: creates what is missing, replaces what differs from the file, leaves the rest alone.</summary>
internal static class ApplyCommand
{
    /// <summary>How often a replace that lost a race with another writer (409 Conflict) is retried on a fresh read.</summary>
    private const int ConflictRetries = 3;

    public static Command Create(CliHost host)
    {
        var files = FileOptions.Filename("that contains the resources to apply");
        var output = GlobalOptions.Output(OutputFormats.Yaml, OutputFormats.Json, OutputFormats.Name);
        var command = new DocumentedCommand("apply", "Apply a configuration to resources from files or standard input.", """
            Each object is created when it does not exist. When it exists and every field the file sets already has
            that value, it is left unchanged; otherwise the file's object replaces it (fields the file leaves out are
            reset, except annotations the server added). Server-owned fields in the file (uid, resourceVersion,
            selfLink, creationTimestamp, generation, status) are ignored. An object goes to its metadata.namespace,
            else to -n.

            Examples:
              # Apply an image stream
              isctl apply -f rhel7.yaml

              # Apply every .yaml, .yml and .json file of a directory
              isctl apply -f ./imagestreams/

              # Apply from standard input
              cat rhel7.yaml | isctl apply -f -
            """)
        {
            files, output,
        };
        command.SetContextAction(host, (context, parse, cancellationToken) =>
            RunAsync(context, parse.GetValue(files) ?? [], parse.GetValue(output), cancellationToken));
        return command;
    }

    private static Task<int> RunAsync(CommandContext context, IReadOnlyList<string> files, string? output, CancellationToken cancellationToken)
    {
        var manifests = ManifestWrites.Read(context, files, "apply");
        if (manifests.FirstOrDefault(m => string.IsNullOrEmpty(m.Name)) is { } unnamed)
        {
            throw new CliException($"{unnamed.Source}: metadata.name is required to apply (create accepts generateName)");
        }
        return ManifestWrites.WriteEachAsync(context, manifests, output,
            (manifest, ns, token) => ApplyAsync(context.Api, manifest, ns, token), cancellationToken);
    }

    private static async Task<(string Verb, JsonObject Result)> ApplyAsync(ApiClient api, Manifest manifest, string? ns, CancellationToken cancellationToken)
    {
        var desired = ApplyPlan.Desired(manifest, ns);
        var path = ResourcePaths.Item(manifest.Type, ns, manifest.Name!);
        for (var attempt = 0; ; attempt++)
        {
            JsonObject current;
            try
            {
                current = await api.GetAsync(path, cancellationToken);
            }
            catch (ApiException e) when (e.Code == 404)
            {
                return ("created", await api.CreateAsync(ResourcePaths.Collection(manifest.Type, ns), desired, cancellationToken));
            }
            if (ApplyPlan.IsUnchanged(desired, current))
            {
                return ("unchanged", current);
            }
            try
            {
                return ("configured", await api.ReplaceAsync(path, ApplyPlan.ForUpdate(desired, current), cancellationToken));
            }
            catch (ApiException e) when (e.Status.Reason == StatusReasons.Conflict && attempt < ConflictRetries)
            {
                // Someone wrote in between: read again and redo the comparison.
            }
        }
    }
}
