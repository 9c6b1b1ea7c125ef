using System.CommandLine;
using System.Text.Json.Nodes;
using ImageStreams.Cli.Api;
using ImageStreams.Cli.Printers;
using ImageStreams.Cli.Resources;
using ImageStreams.Model.Meta;

namespace ImageStreams.Cli.Commands;

/// <summary><c>isctl get</c>: lists or shows resources as tables (oc's columns), YAML, JSON or names; -w streams changes.</summary>
internal static class GetCommand
{
    /// <summary>Pause before a watch the server closed is opened again, so a server that closes at once is not hammered.</summary>
    private static readonly TimeSpan WatchResumeDelay = TimeSpan.FromSeconds(1);

    public static Command Create(CliHost host)
    {
        var resources = new Argument<string[]>("resources")
        {
            Arity = ArgumentArity.ZeroOrMore,
            Description = "TYPE [NAME...] or TYPE/NAME...; TYPE is one of: " + ResourceArgs.KnownTypes,
        };
        var output = GlobalOptions.Output(OutputFormats.Yaml, OutputFormats.Json, OutputFormats.Name, OutputFormats.Wide);
        var allNamespaces = new Option<bool>("--all-namespaces", "-A") { Description = "List the resources of every namespace" };
        var selector = new Option<string?>("--selector", "-l") { Description = "Label selector to filter on, such as app=web,tier!=db" };
        var watch = new Option<bool>("--watch", "-w") { Description = "After listing, keep printing resources as they change (Ctrl-C stops)" };

        var command = new DocumentedCommand("get", "Display one or many resources.", """
            Image streams print oc's columns (NAME, IMAGE REPOSITORY, TAGS, UPDATED); -o yaml|json prints the
            objects (a kind: List for more than one), -o name prints TYPE/NAME lines.

            Examples:
              # List the image streams of the current namespace
              isctl get is

              # Image streams of every namespace
              isctl get is -A

              # One image stream as YAML
              isctl get is rhel7 -o yaml

              # Several resources by TYPE/NAME
              isctl get is/rhel7 istag/rhel7:latest

              # Watch image streams labelled app=web change
              isctl get is -l app=web -w
            """)
        {
            resources, output, allNamespaces, selector, watch,
        };
        command.SetContextAction(host, (context, parse, cancellationToken) => RunAsync(
            context,
            new Request(parse.GetValue(resources) ?? [], parse.GetValue(output), parse.GetValue(allNamespaces),
                parse.GetValue(selector), parse.GetValue(watch)),
            cancellationToken));
        return command;
    }

    private sealed record Request(IReadOnlyList<string> Resources, string? Output, bool AllNamespaces, string? Selector, bool Watch);

    /// <summary>What one selection returned; <paramref name="ResourceVersion"/> is the list's, for a watch to start from.</summary>
    private sealed record Fetched(ResourceSelection Selection, IReadOnlyList<JsonObject> Items, string? ResourceVersion);

    private static async Task<int> RunAsync(CommandContext context, Request request, CancellationToken cancellationToken)
    {
        var selections = ResourceArgs.Parse(request.Resources, "get");
        if (request.Selector is not null && selections.Any(s => s.Names.Count > 0))
        {
            throw new CliException("a resource name cannot be given together with a selector (-l)");
        }
        if (request.AllNamespaces && selections.Any(s => s.Names.Count > 0 && s.Type.Namespaced))
        {
            throw new CliException("a resource cannot be retrieved by name across all namespaces; drop -A or give -n");
        }
        if (request.Watch && (selections.Count > 1 || selections[0].Names.Count > 1))
        {
            throw new CliException("watch works on one resource type and at most one name at a time");
        }
        if (request.Watch)
        {
            ResourceArgs.RequireVerb(selections[0].Type, "watch");
        }

        var failed = false;
        var fetched = new List<Fetched>();
        foreach (var selection in selections)
        {
            var type = selection.Type;
            var ns = request.AllNamespaces ? null : context.Namespace;
            if (selection.Names.Count == 0)
            {
                ResourceArgs.RequireVerb(type, "list");
                var path = ResourcePaths.WithQuery(ResourcePaths.Collection(type, ns), ("labelSelector", request.Selector));
                var list = await context.Api.GetAsync(path, cancellationToken);
                var items = (list["items"] as JsonArray ?? []).OfType<JsonObject>().ToList();
                fetched.Add(new Fetched(selection, items, ResourceVersionOf(list)));
                continue;
            }
            ResourceArgs.RequireVerb(type, "get");
            var found = new List<JsonObject>();
            foreach (var name in selection.Names)
            {
                try
                {
                    found.Add(await context.Api.GetAsync(ResourcePaths.Item(type, context.Namespace, name), cancellationToken));
                }
                catch (ApiException e)
                {
                    // Like kubectl: report the missing one and go on with the others.
                    context.Error.WriteLine(CliErrors.Describe(e));
                    failed = true;
                }
            }
            fetched.Add(new Fetched(selection, found, null));
        }

        var printer = new Printer(context, request.Output, request.AllNamespaces, withKind: fetched.Count > 1);
        printer.PrintAll(fetched, request.Watch);
        if (request.Watch && !failed)
        {
            await WatchAsync(context, request, fetched[0], printer, cancellationToken);
        }
        return failed ? 1 : 0;
    }

    private static async Task WatchAsync(CommandContext context, Request request, Fetched fetched, Printer printer, CancellationToken cancellationToken)
    {
        var type = fetched.Selection.Type;
        var name = fetched.Selection.Names.Count == 1 ? fetched.Selection.Names[0] : null;
        var from = fetched.ResourceVersion ?? (fetched.Items.Count == 1 ? ResourceVersionOf(fetched.Items[0]) : null);
        try
        {
            // The server ends a watch after its time limit; the watch then resumes where it stopped.
            while (true)
            {
                var path = ResourcePaths.WithQuery(
                    ResourcePaths.Collection(type, request.AllNamespaces ? null : context.Namespace),
                    ("resourceVersion", from),
                    ("labelSelector", request.Selector),
                    ("fieldSelector", name is null ? null : $"metadata.name={name}"));
                await foreach (var change in context.Api.WatchAsync(path, cancellationToken))
                {
                    from = ResourceVersionOf(change.Object) ?? from;
                    // The field selector narrows the stream on the server; the check keeps the output right if it is ignored.
                    if (change.Type == WatchEvent<JsonObject>.Bookmark || (name is not null && ObjectPrinter.NameOf(change.Object) != name))
                    {
                        continue;
                    }
                    printer.PrintChange(type, change.Object);
                }
                await Task.Delay(WatchResumeDelay, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl-C ends a watch; that is its normal end.
        }
    }

    private static string? ResourceVersionOf(JsonObject obj) => (obj["metadata"] as JsonObject)?["resourceVersion"]?.GetValue<string>();

    /// <summary>Prints what get found, and later the changes a watch reports, keeping table columns aligned.</summary>
    private sealed class Printer(CommandContext context, string? format, bool allNamespaces, bool withKind)
    {
        private readonly TableWriter table = new(context.Out);
        private bool headerPrinted;
        private int documents;

        private bool Wide => format == OutputFormats.Wide;

        public void PrintAll(IReadOnlyList<Fetched> fetched, bool watching)
        {
            var all = fetched.SelectMany(f => f.Items.Select(i => (f.Selection.Type, Object: i))).ToList();
            if (OutputFormats.IsDocument(format))
            {
                var single = fetched.Count == 1 && fetched[0].Selection.Names.Count == 1 && all.Count == 1;
                if (single || all.Count > 0 || !watching)
                {
                    ObjectPrinter.Write(context.Out, single ? ObjectPrinter.WithTypeMeta(all[0].Type, all[0].Object) : ObjectPrinter.List(all), format!);
                    documents++;
                }
                return;
            }
            if (all.Count == 0)
            {
                if (!watching && fetched.Any(f => f.Selection.Names.Count == 0))
                {
                    context.Error.WriteLine(NoResources(fetched[0].Selection.Type));
                }
                return;
            }
            if (format == OutputFormats.Name)
            {
                foreach (var (type, obj) in all)
                {
                    context.Out.WriteLine(ObjectPrinter.QualifiedName(type, ObjectPrinter.NameOf(obj)));
                }
                return;
            }
            var first = true;
            foreach (var group in fetched.Where(f => f.Items.Count > 0))
            {
                if (!first)
                {
                    context.Out.WriteLine();
                }
                first = false;
                var type = group.Selection.Type;
                var resourceTable = ResourceTables.For(type);
                var withNamespace = WithNamespace(type);
                var now = context.Now;
                // Each type gets its own table, as kubectl prints them.
                var writer = fetched.Count == 1 ? table : new TableWriter(context.Out);
                writer.Write([resourceTable.Header(Wide, withNamespace), .. group.Items.Select(i => resourceTable.Row(i, now, Wide, withNamespace, Name(type, i)))]);
                headerPrinted = true;
            }
        }

        public void PrintChange(ResourceType type, JsonObject obj)
        {
            if (OutputFormats.IsDocument(format))
            {
                if (documents++ > 0 && format == OutputFormats.Yaml)
                {
                    context.Out.Write("---\n");
                }
                ObjectPrinter.Write(context.Out, ObjectPrinter.WithTypeMeta(type, obj), format!);
            }
            else if (format == OutputFormats.Name)
            {
                context.Out.WriteLine(ObjectPrinter.QualifiedName(type, ObjectPrinter.NameOf(obj)));
            }
            else
            {
                var resourceTable = ResourceTables.For(type);
                var withNamespace = WithNamespace(type);
                var row = resourceTable.Row(obj, context.Now, Wide, withNamespace);
                table.Write(headerPrinted ? [row] : [resourceTable.Header(Wide, withNamespace), row]);
                headerPrinted = true;
            }
            context.Out.Flush();
        }

        private bool WithNamespace(ResourceType type) => allNamespaces && type.Namespaced;

        private string? Name(ResourceType type, JsonObject obj) => withKind ? ObjectPrinter.QualifiedName(type, ObjectPrinter.NameOf(obj)) : null;

        private string NoResources(ResourceType type) =>
            allNamespaces || !type.Namespaced ? "No resources found" : $"No resources found in {context.Namespace} namespace.";
    }
}
