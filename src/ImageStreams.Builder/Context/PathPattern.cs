using System.Text;
using System.Text.RegularExpressions;

namespace ImageStreams.Builder.Context;

/// <summary>
/// A path pattern as Docker reads them in .dockerignore and COPY sources: <c>*</c> and <c>?</c> within one path
/// segment, <c>**</c> across segments, <c>[...]</c> classes and the escape character; matched against the whole
/// relative path with '/' separators.
/// </summary>
internal sealed class PathPattern
{
    private readonly Regex regex;

    public PathPattern(string pattern)
    {
        Text = pattern;
        regex = new Regex("^" + ToRegex(pattern) + "$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    }

    public string Text { get; }

    public static bool HasWildcards(string pattern) => pattern.IndexOfAny(['*', '?', '[']) >= 0;

    public bool IsMatch(string relativePath) => regex.IsMatch(relativePath);

    private static string ToRegex(string pattern)
    {
        var result = new StringBuilder();
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            switch (c)
            {
                case '*' when i + 1 < pattern.Length && pattern[i + 1] == '*':
                    i++;
                    if (i + 1 < pattern.Length && pattern[i + 1] == '/')
                    {
                        i++;
                        result.Append("(.*/)?");
                    }
                    else
                    {
                        result.Append(".*");
                    }
                    break;
                case '*':
                    result.Append("[^/]*");
                    break;
                case '?':
                    result.Append("[^/]");
                    break;
                case '[':
                    var end = pattern.IndexOf(']', i + 1);
                    if (end < 0)
                    {
                        throw new FormatException($"the pattern \"{pattern}\" has an unclosed '['");
                    }
                    var body = pattern[(i + 1)..end];
                    if (body.StartsWith('^') || body.StartsWith('!'))
                    {
                        body = "^" + body[1..];
                    }
                    result.Append('[').Append(body.Replace("\\", "\\\\", StringComparison.Ordinal)).Append(']');
                    i = end;
                    break;
                case '\\' when i + 1 < pattern.Length:
                    result.Append(Regex.Escape(pattern[++i].ToString()));
                    break;
                default:
                    result.Append(Regex.Escape(c.ToString()));
                    break;
            }
        }
        return result.ToString();
    }
}

/// <summary>The rules of a .dockerignore file: the last pattern that matches a path (or one of its parents) decides; <c>!</c> re-includes.</summary>
internal sealed class DockerIgnore
{
    private readonly List<(PathPattern Pattern, bool Exception)> rules = [];

    public static DockerIgnore Empty { get; } = new([]);

    private DockerIgnore(IEnumerable<string> lines)
    {
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }
            var exception = line.StartsWith('!');
            if (exception)
            {
                line = line[1..].Trim();
            }
            var cleaned = ContextPaths.Clean(line);
            if (cleaned.Length == 0)
            {
                continue;
            }
            rules.Add((new PathPattern(cleaned), exception));
        }
    }

    /// <exception cref="FormatException">A pattern is malformed.</exception>
    public static DockerIgnore Load(string contextDirectory)
    {
        var path = Path.Combine(contextDirectory, ".dockerignore");
        return File.Exists(path) ? new DockerIgnore(File.ReadAllLines(path)) : Empty;
    }

    public static DockerIgnore FromLines(IEnumerable<string> lines) => new(lines);

    /// <param name="relativePath">A cleaned path relative to the context root, '/'-separated.</param>
    public bool IsExcluded(string relativePath)
    {
        var excluded = false;
        foreach (var (pattern, exception) in rules)
        {
            if (Matches(pattern, relativePath))
            {
                excluded = !exception;
            }
        }
        return excluded;
    }

    private static bool Matches(PathPattern pattern, string path)
    {
        if (pattern.IsMatch(path))
        {
            return true;
        }
        for (var slash = path.IndexOf('/', StringComparison.Ordinal); slash > 0; slash = path.IndexOf('/', slash + 1))
        {
            if (pattern.IsMatch(path[..slash]))
            {
                return true;
            }
        }
        return false;
    }
}

/// <summary>Paths inside a build context and inside an image.</summary>
internal static class ContextPaths
{
    /// <summary>Cleans a path the way Go's filepath.Clean does, relative and '/'-separated: no "." segments, ".." resolved, no leading '/'. Returns "" for the root.</summary>
    /// <exception cref="FormatException">The path climbs above the root.</exception>
    public static string Clean(string path)
    {
        var parts = new List<string>();
        foreach (var part in path.Replace('\\', '/').Split('/'))
        {
            if (part.Length == 0 || part == ".")
            {
                continue;
            }
            if (part == "..")
            {
                if (parts.Count == 0)
                {
                    throw new FormatException($"the path \"{path}\" is outside the build context");
                }
                parts.RemoveAt(parts.Count - 1);
                continue;
            }
            parts.Add(part);
        }
        return string.Join('/', parts);
    }

    /// <summary>An image path made absolute against the working directory and cleaned, without the leading '/' (a tar entry name); "" for the root.</summary>
    public static string InImage(string path, string workingDirectory)
    {
        var absolute = path.StartsWith('/') ? path : workingDirectory.TrimEnd('/') + "/" + path;
        var parts = new List<string>();
        foreach (var part in absolute.Split('/'))
        {
            if (part.Length == 0 || part == ".")
            {
                continue;
            }
            if (part == "..")
            {
                if (parts.Count > 0)
                {
                    parts.RemoveAt(parts.Count - 1);
                }
                continue;
            }
            parts.Add(part);
        }
        return string.Join('/', parts);
    }
}
