using System.CommandLine;
using ImageStreams.Cli.Builds;
using ImageStreams.Cli.Resources;
using ImageStreams.Model.Meta;

namespace ImageStreams.Cli.Commands;

/// <summary><c>isctl logs build/NAME</c> or <c>bc/NAME</c>: a build's log; -f follows it until the build ends.</summary>
internal static class LogsCommand
{
    public static Command Create(CliHost host)
    {
        var target = new Argument<string>("resource") { Description = "build/NAME, or bc/NAME for the BuildConfig's latest build" };
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing the log as the build writes it, until it ends" };
        var command = new DocumentedCommand("logs", "Print the log of a build.", """
            Examples:
              # The log of a build so far
              isctl logs build/httpd-base-1

              # Follow the latest build of a BuildConfig until it ends
              isctl logs -f bc/httpd-base
            """)
        {
            target, follow,
        };
        command.SetContextAction(host, async (context, parse, cancellationToken) =>
        {
            var text = parse.GetValue(target)!;
            var slash = text.IndexOf('/', StringComparison.Ordinal);
            if (slash <= 0)
            {
                throw new CliException($"logs needs TYPE/NAME, such as build/{text} or bc/{text}");
            }
            var type = ResourceArgs.ResolveType(text[..slash]);
            if (type != ResourceTypes.Builds && type != ResourceTypes.BuildConfigs)
            {
                throw new CliException($"logs works on builds and buildconfigs, not {type.Resource}");
            }
            await context.Api.CopyTextAsync(BuildPaths.Log(type, context.Namespace, text[(slash + 1)..], parse.GetValue(follow)), context.Out, cancellationToken);
            return 0;
        });
        return command;
    }
}
