using System.CommandLine;

namespace ImageStreams.Cli;

/// <summary>The flags every command takes, as kubectl and oc have them.</summary>
internal sealed class GlobalOptions
{
    public const string ServerVariable = "ISCTL_SERVER";
    public const string TokenVariable = "ISCTL_TOKEN";
    public const string DefaultServer = "http://127.0.0.1:8080";

    public Option<string?> Server { get; } = new("--server", "-s")
    {
        Description = $"The API server URL (default: ${ServerVariable}, else the config file, else {DefaultServer})",
        Recursive = true,
    };

    public Option<string?> Namespace { get; } = new("--namespace", "-n")
    {
        Description = "The namespace (project) to work in (default: the config file's, else \"default\")",
        Recursive = true,
    };

    public Option<string?> Token { get; } = new("--token")
    {
        Description = $"Bearer token for the API server (default: ${TokenVariable}, else the config file)",
        Recursive = true,
    };

    public IEnumerable<Option> All => [Server, Namespace, Token];

    /// <summary>An -o/--output option accepting the given formats.</summary>
    public static Option<string?> Output(params string[] formats)
    {
        var option = new Option<string?>("--output", "-o")
        {
            Description = "Output format: " + string.Join("|", formats),
        };
        option.AcceptOnlyFromAmong(formats);
        return option;
    }
}
