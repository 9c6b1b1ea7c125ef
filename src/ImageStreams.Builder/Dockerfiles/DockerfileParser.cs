using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ImageStreams.Builder.Dockerfiles;

/// <summary>
/// Parses Dockerfiles as Docker's builder reads them: parser directives, comments, line continuations, flags, JSON and
/// shell forms, and multi-stage builds. Each instruction's arguments are checked here (quotes, substitutions, forms), so
/// a build fails before it starts, with the line of the mistake. Heredocs are refused.
/// </summary>
public static partial class DockerfileParser
{
    private static readonly Dictionary<string, string[]> AllowedFlags = new()
    {
        ["FROM"] = ["platform"],
        ["COPY"] = ["from", "chown", "chmod", "link", "parents", "exclude"],
        ["ADD"] = ["chown", "chmod", "checksum", "keep-git-dir", "link", "exclude"],
        ["RUN"] = ["mount", "network", "security"],
        ["HEALTHCHECK"] = ["interval", "timeout", "start-period", "start-interval", "retries"],
    };

    private static readonly HashSet<string> Keywords =
    [
        "FROM", "RUN", "CMD", "LABEL", "MAINTAINER", "EXPOSE", "ENV", "ADD", "COPY", "ENTRYPOINT", "VOLUME", "USER",
        "WORKDIR", "ARG", "ONBUILD", "STOPSIGNAL", "HEALTHCHECK", "SHELL",
    ];

    /// <exception cref="DockerfileParseException">The text is not a valid Dockerfile.</exception>
    public static Dockerfile Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var escape = '\\';
        var index = Directives(lines, ref escape);

        var globalArgs = new List<DockerfileInstruction>();
        var stages = new List<DockerfileStage>();
        List<DockerfileInstruction>? body = null;
        DockerfileInstruction? from = null;
        string? name = null;
        string? baseImage = null;

        void CloseStage()
        {
            if (from is not null)
            {
                stages.Add(new DockerfileStage { Index = stages.Count, Name = name, BaseImage = baseImage!, From = from, Instructions = body! });
            }
        }

        while (NextLogicalLine(lines, ref index, escape) is { } logical)
        {
            var instruction = Instruction(logical.Text, logical.Line, escape, nested: false);
            if (instruction.Keyword == "FROM")
            {
                CloseStage();
                (baseImage, name) = FromArguments(instruction, stages);
                from = instruction;
                body = [];
            }
            else if (body is null)
            {
                if (instruction.Keyword != "ARG")
                {
                    throw new DockerfileParseException(instruction.Line, $"{instruction.Keyword} before the first FROM: only ARG may come before FROM");
                }
                globalArgs.Add(instruction);
            }
            else
            {
                body.Add(instruction);
            }
        }
        CloseStage();
        if (stages.Count == 0)
        {
            throw new DockerfileParseException(Math.Max(1, lines.Length - (lines[^1].Length == 0 ? 1 : 0)), "the Dockerfile has no FROM instruction");
        }
        return new Dockerfile { Escape = escape, GlobalArgs = globalArgs, Stages = stages };
    }

    // Parser directives: "# name=value" lines at the very top, before any other line.
    private static int Directives(string[] lines, ref char escape)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var index = 0;
        for (; index < lines.Length; index++)
        {
            var match = DirectivePattern().Match(lines[index]);
            if (!match.Success)
            {
                break;
            }
            var directive = match.Groups[1].Value.ToLowerInvariant();
            var value = match.Groups[2].Value.Trim();
            if (directive is not ("escape" or "syntax" or "check"))
            {
                break;
            }
            if (!seen.Add(directive))
            {
                throw new DockerfileParseException(index + 1, $"the parser directive \"{directive}\" is given twice");
            }
            if (directive == "escape")
            {
                escape = value switch
                {
                    "\\" => '\\',
                    "`" => '`',
                    _ => throw new DockerfileParseException(index + 1, $"invalid escape character \"{value}\": it must be \\ or `"),
                };
            }
        }
        return index;
    }

    private readonly record struct LogicalLine(string Text, int Line);

    private static LogicalLine? NextLogicalLine(string[] lines, ref int index, char escape)
    {
        while (index < lines.Length && IsBlankOrComment(lines[index]))
        {
            index++;
        }
        if (index >= lines.Length)
        {
            return null;
        }
        var start = index;
        var text = new StringBuilder();
        while (index < lines.Length)
        {
            var line = lines[index++];
            var trimmed = line.TrimEnd();
            if (trimmed.Length > 0 && trimmed[^1] == escape)
            {
                text.Append(trimmed, 0, trimmed.Length - 1);
                // Comments and empty lines inside a continued instruction are dropped, as Docker does.
                while (index < lines.Length && IsBlankOrComment(lines[index]))
                {
                    index++;
                }
                continue;
            }
            text.Append(line);
            break;
        }
        return new LogicalLine(text.ToString(), start + 1);
    }

    private static bool IsBlankOrComment(string line)
    {
        var trimmed = line.TrimStart();
        return trimmed.Length == 0 || trimmed[0] == '#';
    }

    private static DockerfileInstruction Instruction(string text, int line, char escape, bool nested)
    {
        var trimmed = text.Trim();
        var split = trimmed.IndexOfAny([' ', '\t']);
        var keyword = (split < 0 ? trimmed : trimmed[..split]).ToUpperInvariant();
        var rest = split < 0 ? "" : trimmed[(split + 1)..].TrimStart();
        if (!Keywords.Contains(keyword))
        {
            throw new DockerfileParseException(line, $"unknown instruction: {Truncate(keyword)}");
        }
        if (nested && keyword is "ONBUILD" or "FROM" or "MAINTAINER")
        {
            throw new DockerfileParseException(line, $"{keyword} is not allowed inside ONBUILD");
        }
        var flags = new List<KeyValuePair<string, string?>>();
        if (keyword != "ONBUILD")
        {
            rest = Flags(keyword, rest, line, flags);
        }
        var instruction = new DockerfileInstruction { Keyword = keyword, Line = line, Arguments = rest, Flags = flags };
        try
        {
            return Check(instruction, escape);
        }
        catch (FormatException ex)
        {
            throw new DockerfileParseException(line, ex.Message.StartsWith(keyword + " ", StringComparison.Ordinal) ? ex.Message : $"{keyword}: {ex.Message}");
        }
    }

    private static string Flags(string keyword, string rest, int line, List<KeyValuePair<string, string?>> flags)
    {
        while (rest.StartsWith("--", StringComparison.Ordinal))
        {
            var end = rest.IndexOfAny([' ', '\t']);
            var flag = end < 0 ? rest[2..] : rest[2..end];
            rest = end < 0 ? "" : rest[(end + 1)..].TrimStart();
            var equals = flag.IndexOf('=', StringComparison.Ordinal);
            var flagName = equals < 0 ? flag : flag[..equals];
            var value = equals < 0 ? null : flag[(equals + 1)..];
            if (!AllowedFlags.TryGetValue(keyword, out var allowed) || !allowed.Contains(flagName))
            {
                throw new DockerfileParseException(line, $"unknown flag for {keyword}: --{Truncate(flagName)}");
            }
            if (value is null && flagName is not ("link" or "parents" or "keep-git-dir"))
            {
                throw new DockerfileParseException(line, $"{keyword}: the flag --{flagName} needs a value (--{flagName}=...)");
            }
            flags.Add(new(flagName, value));
        }
        return rest;
    }

    // Checks the arguments of one instruction; returns it with its JSON form or nested instruction filled in.
    private static DockerfileInstruction Check(DockerfileInstruction instruction, char escape)
    {
        var args = instruction.Arguments;
        static string? Unset(string _) => "";
        switch (instruction.Keyword)
        {
            case "FROM" or "MAINTAINER" or "WORKDIR" or "USER" or "STOPSIGNAL":
                Require(args.Length > 0, $"{instruction.Keyword} requires an argument");
                ShellWords.Word(args, escape, Unset);
                return instruction;
            case "ARG":
                foreach (var (key, value) in KeyValues(instruction, escape, allowLegacy: false, requireValue: false))
                {
                    Require(NamePattern().IsMatch(key), $"invalid ARG name \"{Truncate(key)}\"");
                    if (value is not null)
                    {
                        ShellWords.Word(value, escape, Unset);
                    }
                }
                return instruction;
            case "ENV" or "LABEL":
                foreach (var (_, value) in KeyValues(instruction, escape, allowLegacy: instruction.Keyword == "ENV", requireValue: true))
                {
                    ShellWords.Word(value!, escape, Unset);
                }
                return instruction;
            case "EXPOSE":
                Require(ShellWords.Split(args, escape, Unset).Count > 0, "EXPOSE requires at least one port");
                return instruction;
            case "COPY" or "ADD":
                RefuseHeredoc(args);
                var files = Json(args) ?? ShellWords.Split(args, escape, Unset);
                Require(files.Count >= 2, $"{instruction.Keyword} requires at least two arguments: a source and a destination");
                return instruction with { Json = Json(args) };
            case "VOLUME":
                var volumes = Json(args) ?? ShellWords.Split(args, escape, Unset);
                Require(volumes.Count > 0 && volumes.All(v => v.Length > 0), "VOLUME requires at least one non-empty path");
                return instruction with { Json = Json(args) };
            case "RUN" or "CMD" or "ENTRYPOINT":
                if (instruction.Keyword == "RUN")
                {
                    RefuseHeredoc(args);
                }
                var json = Json(args);
                Require(json is not null || args.Length > 0 || instruction.Keyword != "RUN", "RUN requires a command");
                return instruction with { Json = json };
            case "SHELL":
                var shell = Json(args);
                Require(shell is { Count: > 0 }, "SHELL requires the JSON form, e.g. SHELL [\"/bin/sh\", \"-c\"]");
                return instruction with { Json = shell };
            case "HEALTHCHECK":
                return CheckHealthcheck(instruction);
            case "ONBUILD":
                Require(args.Length > 0, "ONBUILD requires an instruction");
                return instruction with { Nested = Instruction(args, instruction.Line, escape, nested: true) };
            default:
                return instruction;
        }
    }

    private static DockerfileInstruction CheckHealthcheck(DockerfileInstruction instruction)
    {
        var args = instruction.Arguments;
        var first = args.Split([' ', '\t'], 2)[0].ToUpperInvariant();
        if (first == "NONE")
        {
            Require(args.Trim().Length == 4, "HEALTHCHECK NONE takes no arguments");
            return instruction;
        }
        Require(first == "CMD", "HEALTHCHECK must be followed by CMD or NONE");
        var command = args.Length > 3 ? args[3..].Trim() : "";
        Require(command.Length > 0, "HEALTHCHECK CMD requires a command");
        foreach (var (flag, value) in instruction.Flags)
        {
            if (flag == "retries")
            {
                Require(int.TryParse(value, out var retries) && retries > 0, $"--retries must be a positive integer, not \"{value}\"");
            }
            else
            {
                Require(TryParseDuration(value!, out _), $"--{flag} must be a duration like 30s or 1m30s, not \"{value}\"");
            }
        }
        return instruction with { Json = Json(command) };
    }

    /// <summary>The <c>key=value</c> pairs of ENV, LABEL or ARG (values as written: quotes and variables are processed at build time).</summary>
    /// <exception cref="FormatException">A word is not a pair, or a quote is not closed.</exception>
    public static IReadOnlyList<(string Key, string? Value)> KeyValues(DockerfileInstruction instruction, char escape, bool allowLegacy, bool requireValue)
    {
        var words = ShellWords.SplitRaw(instruction.Arguments, escape);
        Require(words.Count > 0, $"{instruction.Keyword} requires at least one argument");
        if (allowLegacy && !words[0].Contains('=', StringComparison.Ordinal))
        {
            // The old form "ENV key value with spaces".
            var space = instruction.Arguments.IndexOfAny([' ', '\t']);
            Require(space > 0, $"{instruction.Keyword} {words[0]} needs a value");
            return [(words[0], instruction.Arguments[(space + 1)..].Trim())];
        }
        var pairs = new List<(string, string?)>();
        foreach (var word in words)
        {
            var equals = word.IndexOf('=', StringComparison.Ordinal);
            if (equals < 0)
            {
                Require(!requireValue, $"{instruction.Keyword} needs key=value pairs, \"{Truncate(word)}\" has no '='");
                pairs.Add((word, null));
                continue;
            }
            Require(equals > 0, $"{instruction.Keyword}: a key is missing before '=' in \"{Truncate(word)}\"");
            pairs.Add((word[..equals], word[(equals + 1)..]));
        }
        return pairs;
    }

    /// <summary>Go-style durations as HEALTHCHECK takes them: 30s, 1m30s, 500ms, 1h.</summary>
    public static bool TryParseDuration(string value, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        var match = DurationPattern().Match(value);
        if (!match.Success || value.Length == 0)
        {
            return false;
        }
        foreach (Capture part in match.Groups["part"].Captures)
        {
            var unit = part.Value.TrimStart("0123456789.".ToCharArray());
            if (!double.TryParse(part.Value[..^unit.Length], System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out var amount))
            {
                return false;
            }
            duration += unit switch
            {
                "h" => TimeSpan.FromHours(amount),
                "m" => TimeSpan.FromMinutes(amount),
                "s" => TimeSpan.FromSeconds(amount),
                "ms" => TimeSpan.FromMilliseconds(amount),
                "us" or "µs" => TimeSpan.FromMicroseconds(amount),
                _ => TimeSpan.FromTicks((long)(amount / 100)),
            };
        }
        return true;
    }

    private static (string BaseImage, string? Name) FromArguments(DockerfileInstruction from, List<DockerfileStage> earlier)
    {
        var words = from.Arguments.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 1)
        {
            return (words[0], null);
        }
        if (words.Length != 3 || !words[1].Equals("AS", StringComparison.OrdinalIgnoreCase))
        {
            throw new DockerfileParseException(from.Line, "FROM takes an image and optionally \"AS name\"");
        }
        var name = words[2].ToLowerInvariant();
        if (!StageNamePattern().IsMatch(name))
        {
            throw new DockerfileParseException(from.Line, $"invalid stage name \"{Truncate(words[2])}\": it must start with a letter and hold only letters, digits, '-', '_' and '.'");
        }
        if (earlier.Any(stage => stage.Name == name))
        {
            throw new DockerfileParseException(from.Line, $"the stage name \"{name}\" is used twice");
        }
        return (words[0], name);
    }

    private static IReadOnlyList<string>? Json(string args)
    {
        if (!args.TrimStart().StartsWith('['))
        {
            return null;
        }
        try
        {
            using var document = JsonDocument.Parse(args);
            if (document.RootElement.ValueKind != JsonValueKind.Array
                || document.RootElement.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String))
            {
                return null;
            }
            return document.RootElement.EnumerateArray().Select(e => e.GetString()!).ToList();
        }
        catch (JsonException)
        {
            // Not JSON: Docker takes it as the shell form.
            return null;
        }
    }

    private static void RefuseHeredoc(string args)
    {
        if (HeredocPattern().IsMatch(args))
        {
            throw new FormatException("heredocs (<<EOF) are not supported; put the content in a file of the build context and COPY it");
        }
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new FormatException(message);
        }
    }

    private static string Truncate(string value) => value.Length <= 40 ? value : value[..40] + "...";

    [GeneratedRegex(@"^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.*)$")]
    private static partial Regex DirectivePattern();

    [GeneratedRegex(@"^[a-zA-Z_][a-zA-Z0-9_]*$")]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"^[a-z][a-z0-9\-_\.]*$")]
    private static partial Regex StageNamePattern();

    [GeneratedRegex(@"(^|\s)<<-?\s*[""']?[A-Za-z_][A-Za-z0-9_]*[""']?(\s|$)")]
    private static partial Regex HeredocPattern();

    [GeneratedRegex(@"^(?<part>[0-9]+(\.[0-9]+)?(h|m|s|ms|us|µs|ns))+$")]
    private static partial Regex DurationPattern();
}
