using System.CommandLine;
using System.Text.Json.Nodes;
using ImageStreams.Cli.Api;
using ImageStreams.Model.Core;
using ImageStreams.Model.Meta;

namespace ImageStreams.Cli.Commands;

/// <summary><c>isctl new-project NAME</c>: creates a namespace and makes it the current one, as oc does.</summary>
internal static class NewProjectCommand
{
    public static Command Create(CliHost host)
    {
        var name = new Argument<string>("name") { Description = "The project (namespace) name: lower case letters, digits and '-'" };
        var command = new DocumentedCommand("new-project", "Create a new project (a namespace) and switch to it.", """
            The project becomes the default namespace of later commands (saved in the config file, $ISCTL_CONFIG or
            ~/.config/isctl/config.json).

            Examples:
              # Create project team-a and use it from now on
              isctl new-project team-a
            """)
        {
            name,
        };
        command.SetContextAction(host, (context, parse, cancellationToken) => RunAsync(context, parse.GetValue(name)!, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(CommandContext context, string name, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["apiVersion"] = CoreApi.GroupVersion,
            ["kind"] = Namespace.KindName,
            ["metadata"] = new JsonObject { ["name"] = name },
        };
        await context.Api.CreateAsync(ResourcePaths.Collection(ResourceTypes.Namespaces, null), body, cancellationToken);
        (context.Config with { Namespace = name }).Save(context.ConfigPath);
        context.Out.WriteLine($"Now using project \"{name}\" on server \"{context.Server}\".");
        return 0;
    }
}
