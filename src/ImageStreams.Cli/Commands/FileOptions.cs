using System.CommandLine;

namespace ImageStreams.Cli.Commands;

internal static class FileOptions
{
    /// <summary>kubectl's -f: repeatable; a file, a directory of .yaml/.yml/.json files, or - for standard input.</summary>
    public static Option<string[]> Filename(string purpose) => new("--filename", "-f")
    {
        Description = $"File, directory (its .yaml, .yml and .json files) or - for standard input, {purpose}; may be repeated",
        Arity = ArgumentArity.OneOrMore,
    };
}
