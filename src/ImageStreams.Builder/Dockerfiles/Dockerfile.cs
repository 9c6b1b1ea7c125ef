namespace ImageStreams.Builder.Dockerfiles;

/// <summary>A parsed Dockerfile: the ARGs before the first FROM, then its stages in order.</summary>
public sealed record Dockerfile
{
    /// <summary>The escape character (<c># escape=</c> directive): a backslash by default, or a backtick.</summary>
    public char Escape { get; init; } = '\\';

    /// <summary>ARG instructions before the first FROM; only FROM lines can use them.</summary>
    public IReadOnlyList<DockerfileInstruction> GlobalArgs { get; init; } = [];

    public required IReadOnlyList<DockerfileStage> Stages { get; init; }

    /// <summary>The stage the image is made of: the last one.</summary>
    public DockerfileStage FinalStage => Stages[^1];

    /// <summary>Every instruction of every stage (FROM lines included), in file order.</summary>
    public IEnumerable<DockerfileInstruction> AllInstructions =>
        GlobalArgs.Concat(Stages.SelectMany(stage => stage.Instructions.Prepend(stage.From)));
}

/// <summary>One stage: <c>FROM image [AS name]</c> and what follows up to the next FROM.</summary>
public sealed record DockerfileStage
{
    public required int Index { get; init; }

    /// <summary>The name after AS, lower-cased as Docker compares it; null when unnamed.</summary>
    public string? Name { get; init; }

    /// <summary>The image the stage starts from as written (ARGs not yet substituted): a reference, a stage name or <c>scratch</c>.</summary>
    public required string BaseImage { get; init; }

    public required DockerfileInstruction From { get; init; }

    public required IReadOnlyList<DockerfileInstruction> Instructions { get; init; }
}

/// <summary>One instruction, continuation lines joined, with its flags split off.</summary>
public sealed record DockerfileInstruction
{
    /// <summary>The instruction in upper case: FROM, RUN, COPY, ...</summary>
    public required string Keyword { get; init; }

    /// <summary>The 1-based line the instruction starts on.</summary>
    public required int Line { get; init; }

    /// <summary>The arguments after the flags, as written (no substitution done).</summary>
    public required string Arguments { get; init; }

    /// <summary>The flags (<c>--from=builder</c>) in order: name without dashes, and value (null for a bare <c>--link</c>).</summary>
    public IReadOnlyList<KeyValuePair<string, string?>> Flags { get; init; } = [];

    /// <summary>The arguments of the JSON (exec) form; null for the shell form.</summary>
    public IReadOnlyList<string>? Json { get; init; }

    /// <summary>For ONBUILD, the instruction it stores.</summary>
    public DockerfileInstruction? Nested { get; init; }

    /// <summary>The instruction as one line (keyword, flags and arguments), as history entries record it.</summary>
    public string Text =>
        string.Join(' ', new[] { Keyword }
            .Concat(Flags.Select(f => f.Value is null ? $"--{f.Key}" : $"--{f.Key}={f.Value}"))
            .Append(Arguments)
            .Where(part => part.Length > 0));

    /// <summary>The value of a flag (the last one when repeated); null when absent.</summary>
    public string? Flag(string name) => Flags.LastOrDefault(f => f.Key == name).Value;

    public bool HasFlag(string name) => Flags.Any(f => f.Key == name);
}

/// <summary>A Dockerfile that cannot be parsed; the message names the line.</summary>
public sealed class DockerfileParseException(int line, string detail) : Exception($"Dockerfile line {line}: {detail}")
{
    public int Line { get; } = line;

    public string Detail { get; } = detail;
}
