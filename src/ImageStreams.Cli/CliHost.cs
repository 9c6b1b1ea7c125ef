namespace ImageStreams.Cli;

/// <summary>
/// Everything a command may touch outside itself: its streams, environment variables and clock. Tests pass
/// their own, so commands run in-process exactly as they do from a shell.
/// </summary>
internal sealed class CliHost
{
    private readonly Func<string, string?> environment;

    public CliHost(TextWriter output, TextWriter error, TextReader input, Func<string, string?> environment, TimeProvider time)
    {
        Out = output;
        Error = error;
        In = input;
        this.environment = environment;
        Time = time;
    }

    public TextWriter Out { get; }
    public TextWriter Error { get; }
    public TextReader In { get; }
    public TimeProvider Time { get; }

    /// <summary>The options every command accepts; one set per invocation, because parsers record their parents.</summary>
    public GlobalOptions Globals { get; } = new();

    public string? Env(string name)
    {
        var value = environment(name);
        return string.IsNullOrEmpty(value) ? null : value;
    }
}
