using System.Text.Json.Nodes;
using ImageStreams.Cli.Printers;
using ImageStreams.Cli.Resources;
using ImageStreams.Model.Meta;

namespace ImageStreams.Cli.Commands;

/// <summary>What <c>create -f</c> and <c>apply -f</c> share: reading the files, one write per object, kubectl's output.</summary>
internal static class ManifestWrites
{
    /// <summary>Every object of the files; nothing is sent until all of them parse.</summary>
    public static IReadOnlyList<Manifest> Read(CommandContext context, IReadOnlyList<string> files, string verb)
    {
        if (files.Count == 0)
        {
            throw new CliException("must give -f with a file, a directory or - for standard input");
        }
        return ManifestReader.Read(files, context.Host.In, verb);
    }

    /// <summary>
    /// Writes each object into its namespace with <paramref name="write"/>, printing <c>TYPE/NAME VERB</c> (or, with -o,
    /// the objects the server returned). A failed object is reported on its own line and the rest go on; 1 when any failed.
    /// </summary>
    public static async Task<int> WriteEachAsync(
        CommandContext context,
        IReadOnlyList<Manifest> manifests,
        string? output,
        Func<Manifest, string?, CancellationToken, Task<(string Verb, JsonObject Result)>> write,
        CancellationToken cancellationToken)
    {
        var targets = manifests.Select(m => (Manifest: m, Namespace: context.NamespaceFor(m))).ToList();
        var failed = false;
        var results = new List<(ResourceType, JsonObject)>();
        foreach (var (manifest, ns) in targets)
        {
            try
            {
                var (verb, result) = await write(manifest, ns, cancellationToken);
                results.Add((manifest.Type, result));
                if (!OutputFormats.IsDocument(output))
                {
                    // The server's name, since a file may give only generateName.
                    var name = ObjectPrinter.QualifiedName(manifest.Type, ObjectPrinter.NameOf(result) ?? manifest.Name);
                    context.Out.WriteLine(output == OutputFormats.Name ? name : $"{name} {verb}");
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
