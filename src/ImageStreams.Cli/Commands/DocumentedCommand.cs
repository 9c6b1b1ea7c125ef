using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace ImageStreams.Cli.Commands;

/// <summary>
/// A command with a one-line description (shown in command lists) and longer details with examples, shown at the
/// end of its own --help.
/// </summary>
internal sealed class DocumentedCommand(string name, string description, string details) : Command(name, description)
{
    public string Details { get; } = details;
}

/// <summary>The standard help, followed by a <see cref="DocumentedCommand"/>'s details.</summary>
internal sealed class DetailedHelpAction(HelpAction standard) : SynchronousCommandLineAction
{
    public override bool ClearsParseErrors => true;

    public override int Invoke(ParseResult parseResult)
    {
        standard.Invoke(parseResult);
        if (parseResult.CommandResult.Command is DocumentedCommand command)
        {
            var output = parseResult.InvocationConfiguration.Output;
            output.Write(command.Details.TrimEnd() + "\n");
        }
        return 0;
    }
}
