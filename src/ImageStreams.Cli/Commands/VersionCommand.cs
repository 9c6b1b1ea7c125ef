using System.CommandLine;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using ImageStreams.Cli.Api;
using ImageStreams.Cli.Printers;

namespace ImageStreams.Cli.Commands;

/// <summary><c>isctl version</c>: the client's version and the server's /version.</summary>
internal static class VersionCommand
{
    public static Command Create(CliHost host)
    {
        var clientOnly = new Option<bool>("--client") { Description = "Print the client version only, without asking the server" };
        var output = GlobalOptions.Output(OutputFormats.Yaml, OutputFormats.Json);
        var command = new DocumentedCommand("version", "Print the client and server versions.", """
            Examples:
              isctl version
              isctl version --client
              isctl version -o json
            """)
        {
            clientOnly, output,
        };
        command.SetContextAction(host, (context, parse, cancellationToken) =>
            RunAsync(context, parse.GetValue(clientOnly), parse.GetValue(output), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(CommandContext context, bool clientOnly, string? output, CancellationToken cancellationToken)
    {
        var client = new JsonObject
        {
            ["gitVersion"] = "v" + ApiClient.ClientVersion,
            ["platform"] = $"{(OperatingSystem.IsLinux() ? "linux" : RuntimeInformation.OSDescription)}/{RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant()}",
        };
        if (!OutputFormats.IsDocument(output))
        {
            context.Out.WriteLine($"Client Version: {client["gitVersion"]}");
        }
        if (clientOnly)
        {
            if (OutputFormats.IsDocument(output))
            {
                ObjectPrinter.Write(context.Out, new JsonObject { ["clientVersion"] = client }, output!);
            }
            return 0;
        }
        // Like kubectl, the client's version is printed before the server is asked, so it shows even when the server is down.
        var server = await context.Api.GetAsync("/version", cancellationToken);
        if (OutputFormats.IsDocument(output))
        {
            ObjectPrinter.Write(context.Out, new JsonObject { ["clientVersion"] = client, ["serverVersion"] = server }, output!);
        }
        else
        {
            context.Out.WriteLine($"Server Version: {server["gitVersion"]?.ToString() ?? "unknown"}");
        }
        return 0;
    }
}
