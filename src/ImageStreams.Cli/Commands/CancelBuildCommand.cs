using System.CommandLine;
using System.Text.Json.Nodes;
using ImageStreams.Cli.Builds;
using ImageStreams.Cli.Printers;
using ImageStreams.Model.Build;
using ImageStreams.Model.Meta;
using BuildModel = ImageStreams.Model.Build.Build;

namespace ImageStreams.Cli.Commands;

/// <summary><c>isctl cancel-build NAME...</c>: asks the server to stop builds (status.cancelled, as oc sets it) and waits until they have.</summary>
internal static class CancelBuildCommand
{
    public static Command Create(CliHost host)
    {
        var names = new Argument<string[]>("names")
        {
            Arity = ArgumentArity.OneOrMore,
            Description = "Builds (NAME or build/NAME), or bc/NAME for every waiting or running build of a BuildConfig",
        };
        var command = new DocumentedCommand("cancel-build", "Cancel running or waiting builds.", """
            A running build is stopped; a waiting one never starts. Builds that have already ended are left alone.

            Examples:
              # Cancel one build
              isctl cancel-build httpd-base-2

              # Cancel every unfinished build of a BuildConfig
              isctl cancel-build bc/httpd-base
            """)
        {
            names,
        };
        command.SetContextAction(host, (context, parse, cancellationToken) => RunAsync(context, parse.GetValue(names) ?? [], cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(CommandContext context, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var ns = context.Namespace;
        var targets = new List<string>();
        foreach (var arg in args)
        {
            if (arg.StartsWith("bc/", StringComparison.Ordinal) || arg.StartsWith("buildconfig/", StringComparison.Ordinal))
            {
                var config = arg[(arg.IndexOf('/', StringComparison.Ordinal) + 1)..];
                var list = await context.Api.GetAsync(Api.ResourcePaths.WithQuery(Api.ResourcePaths.Collection(ResourceTypes.Builds, ns),
                    ("labelSelector", $"{BuildApi.BuildConfigLabel}={config}")), cancellationToken);
                targets.AddRange((list["items"] as JsonArray ?? []).OfType<JsonObject>().Select(ObjectPrinter.As<BuildModel>)
                    .Where(b => !BuildPhases.IsTerminal(b.Status.Phase)).Select(b => b.Metadata.Name!));
            }
            else
            {
                targets.Add(arg.StartsWith("build/", StringComparison.Ordinal) ? arg["build/".Length..] : arg);
            }
        }
        var failed = false;
        foreach (var name in targets)
        {
            var path = BuildPaths.Build(ns, name);
            var obj = await context.Api.GetAsync(path, cancellationToken);
            var build = ObjectPrinter.As<BuildModel>(obj);
            if (BuildPhases.IsTerminal(build.Status.Phase))
            {
                context.Error.WriteLine($"error: build {ns}/{name} has already ended ({build.Status.Phase}) and cannot be cancelled");
                failed = true;
                continue;
            }
            var status = obj["status"] as JsonObject ?? [];
            status["cancelled"] = true;
            obj["status"] = status;
            await context.Api.ReplaceAsync(path, obj, cancellationToken);
            var qualified = ObjectPrinter.QualifiedName(ResourceTypes.Builds, name);
            context.Out.WriteLine($"{qualified} marked for cancellation, waiting to be cancelled");
            var ended = await BuildWaiter.WaitAsync(context, ns, name, cancellationToken);
            context.Out.WriteLine(ended.Status.Phase == BuildPhases.Cancelled ? $"{qualified} cancelled" : $"{qualified} ended {ended.Status.Phase} before it could be cancelled");
        }
        return failed ? 1 : 0;
    }
}
