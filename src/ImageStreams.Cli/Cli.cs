using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using ImageStreams.Cli.Commands;

namespace ImageStreams.Cli;

/// <summary>The isctl command line, runnable in-process with any streams and environment.</summary>
public static class Cli
{
    /// <summary>Runs one isctl command line and returns its exit code: 0 on success, 1 on any error.</summary>
    /// <param name="env">Environment variables to use instead of the process's (tests pass their own).</param>
    /// <param name="stdin">Standard input, for <c>-f -</c>.</param>
    /// <param name="cancellationToken">Stops long-running commands (serve, get -w), as Ctrl-C does.</param>
    public static async Task<int> RunAsync(
        string[] args,
        TextWriter stdout,
        TextWriter stderr,
        IDictionary<string, string?>? env = null,
        TextReader? stdin = null,
        CancellationToken cancellationToken = default)
    {
        Func<string, string?> environment = env is null
            ? Environment.GetEnvironmentVariable
            : name => env.TryGetValue(name, out var value) ? value : null;
        var host = new CliHost(stdout, stderr, stdin ?? TextReader.Null, environment, TimeProvider.System);
        // Like oc and kubectl, isctl alone prints its help.
        var parse = CreateRootCommand(host).Parse(args.Length == 0 ? ["--help"] : args);
        if (parse.Action is ParseErrorAction && parse.Errors.Count > 0)
        {
            var command = parse.CommandResult.Command == parse.RootCommandResult.Command ? "isctl" : $"isctl {parse.CommandResult.Command.Name}";
            // A token that was not understood explains more than the missing command it causes.
            var error = parse.Errors.FirstOrDefault(e => e.Message.StartsWith("Unrecognized", StringComparison.Ordinal)) ?? parse.Errors[0];
            stderr.WriteLine($"error: {CliErrors.OneLine(error.Message)} (see '{command} --help')");
            return 1;
        }
        try
        {
            return await parse.InvokeAsync(
                new InvocationConfiguration
                {
                    Output = stdout,
                    Error = stderr,
                    // Errors are printed here as one line, and signals are handled by the caller's token.
                    EnableDefaultExceptionHandler = false,
                    ProcessTerminationTimeout = null,
                },
                cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return 130;
        }
        catch (Exception e)
        {
            stderr.WriteLine(CliErrors.Describe(e));
            return 1;
        }
    }

    private static Command CreateRootCommand(CliHost host)
    {
        // A RootCommand would take its name from the host executable ("dotnet", "testhost"); usage lines must say isctl.
        var help = new HelpOption();
        help.Action = new DetailedHelpAction((HelpAction)help.Action!);
        var root = new Command("isctl", """
            isctl controls an ImageStreams server: OpenShift image streams for any container registry.

            Commands and flags follow oc and kubectl. The server is --server, else $ISCTL_SERVER, else the config
            file ($ISCTL_CONFIG or ~/.config/isctl/config.json), else http://127.0.0.1:8080.

            Examples:
              isctl serve
              isctl new-project team-a
              isctl apply -f rhel7.yaml
              isctl import-image rhel7:latest --from registry.access.redhat.com/rhel7:latest --scheduled --confirm
              isctl tag rhel7:latest rhel7:stable
              isctl get is
              isctl describe is rhel7
              isctl new-build ./httpd-base --name httpd-base
              isctl start-build httpd-base --follow
            """)
        {
            help,
            new VersionOption(),
        };
        foreach (var option in host.Globals.All)
        {
            root.Options.Add(option);
        }
        Command[] commands =
        [
            ServeCommand.Create(host),
            GetCommand.Create(host),
            DescribeCommand.Create(host),
            ApplyCommand.Create(host),
            CreateCommand.Create(host),
            DeleteCommand.Create(host),
            ImportImageCommand.Create(host),
            TagCommand.Create(host),
            SetCommand.Create(host),
            NewBuildCommand.Create(host),
            StartBuildCommand.Create(host),
            CancelBuildCommand.Create(host),
            LogsCommand.Create(host),
            NewProjectCommand.Create(host),
            LoginCommand.Create(host),
            LoginCommand.CreateLogout(host),
            LoginCommand.CreateWhoami(host),
            PolicyCommand.Create(host),
            VersionCommand.Create(host),
        ];
        foreach (var command in commands)
        {
            root.Subcommands.Add(command);
        }
        return root;
    }
}
