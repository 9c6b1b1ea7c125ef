namespace ImageStreams.Cli;

/// <summary>A problem the user can fix (a bad flag, a missing file, an unreachable server); printed as one "error: ..." line.</summary>
internal sealed class CliException : Exception
{
    public CliException(string message)
        : base(message)
    {
    }

    public CliException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
