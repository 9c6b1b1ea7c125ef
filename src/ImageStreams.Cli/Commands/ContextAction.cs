using System.CommandLine;

namespace ImageStreams.Cli.Commands;

internal static class ContextAction
{
    /// <summary>Sets a command's action to run with the global flags resolved into a <see cref="CommandContext"/>.</summary>
    public static void SetContextAction(this Command command, CliHost host, Func<CommandContext, ParseResult, CancellationToken, Task<int>> action) =>
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var context = CommandContext.Resolve(host, parse);
            return await action(context, parse, cancellationToken);
        });
}
