using System.Text;

namespace ImageStreams.Builder.Dockerfiles;

/// <summary>
/// The shell-like word rules of Dockerfile arguments: quotes, the escape character and variable substitution
/// (<c>$VAR</c>, <c>${VAR}</c>, <c>${VAR:-default}</c>, <c>${VAR-default}</c>, <c>${VAR:+alt}</c>, <c>${VAR+alt}</c>).
/// Errors are <see cref="FormatException"/>s the parser turns into line-numbered parse errors.
/// </summary>
public static class ShellWords
{
    /// <summary>Splits on unquoted whitespace keeping quotes and escapes as written (for <c>key=value</c> pairs processed later).</summary>
    public static IReadOnlyList<string> SplitRaw(string text, char escape)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        var inWord = false;
        char quote = '\0';
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quote == '\0' && char.IsWhiteSpace(c))
            {
                if (inWord)
                {
                    words.Add(current.ToString());
                    current.Clear();
                    inWord = false;
                }
                continue;
            }
            inWord = true;
            current.Append(c);
            if (c == escape && quote != '\'' && i + 1 < text.Length)
            {
                current.Append(text[++i]);
            }
            else if (quote == '\0' && c is '\'' or '"')
            {
                quote = c;
            }
            else if (c == quote)
            {
                quote = '\0';
            }
        }
        if (quote != '\0')
        {
            throw new FormatException($"unexpected end of statement while looking for matching {QuoteName(quote)}");
        }
        if (inWord)
        {
            words.Add(current.ToString());
        }
        return words;
    }

    /// <summary>Splits into words, removing quotes and escapes and substituting variables (<paramref name="lookup"/> gives null when unset).</summary>
    public static IReadOnlyList<string> Split(string text, char escape, Func<string, string?> lookup) =>
        new Lexer(text, escape, lookup).Words(split: true);

    /// <summary>Processes the text as one word: quotes and escapes removed, variables substituted, whitespace kept.</summary>
    public static string Word(string text, char escape, Func<string, string?> lookup) =>
        string.Concat(new Lexer(text, escape, lookup).Words(split: false));

    private static string QuoteName(char quote) => quote == '\'' ? "single-quote" : "double-quote";

    private sealed class Lexer(string text, char escape, Func<string, string?> lookup)
    {
        private int position;

        public List<string> Words(bool split)
        {
            var words = new List<string>();
            var current = new StringBuilder();
            var inWord = false;
            while (position < text.Length)
            {
                var c = text[position];
                if (split && char.IsWhiteSpace(c))
                {
                    position++;
                    if (inWord)
                    {
                        words.Add(current.ToString());
                        current.Clear();
                        inWord = false;
                    }
                    continue;
                }
                inWord = true;
                if (c == escape)
                {
                    position++;
                    current.Append(position < text.Length ? text[position++] : escape);
                }
                else if (c == '\'')
                {
                    position++;
                    SingleQuoted(current);
                }
                else if (c == '"')
                {
                    position++;
                    DoubleQuoted(current);
                }
                else if (c == '$')
                {
                    current.Append(Substitution());
                }
                else
                {
                    current.Append(c);
                    position++;
                }
            }
            if (inWord)
            {
                words.Add(current.ToString());
            }
            return words;
        }

        private void SingleQuoted(StringBuilder current)
        {
            var end = text.IndexOf('\'', position);
            if (end < 0)
            {
                throw new FormatException("unexpected end of statement while looking for matching single-quote");
            }
            current.Append(text, position, end - position);
            position = end + 1;
        }

        private void DoubleQuoted(StringBuilder current)
        {
            while (true)
            {
                if (position >= text.Length)
                {
                    throw new FormatException("unexpected end of statement while looking for matching double-quote");
                }
                var c = text[position];
                if (c == '"')
                {
                    position++;
                    return;
                }
                if (c == escape && position + 1 < text.Length && text[position + 1] is var next && (next is '"' or '$' || next == escape))
                {
                    current.Append(next);
                    position += 2;
                }
                else if (c == '$')
                {
                    current.Append(Substitution());
                }
                else
                {
                    current.Append(c);
                    position++;
                }
            }
        }

        // At a '$': a name, a braced expression, or a literal dollar.
        private string Substitution()
        {
            position++;
            if (position >= text.Length)
            {
                return "$";
            }
            if (text[position] != '{')
            {
                var name = Name();
                return name.Length == 0 ? "$" : lookup(name) ?? "";
            }
            position++;
            var braced = Name();
            if (braced.Length == 0)
            {
                throw new FormatException($"bad substitution in \"{text}\": a variable name must follow \"${{\"");
            }
            if (position >= text.Length)
            {
                throw new FormatException($"missing '}}' in \"{text}\"");
            }
            if (text[position] == '}')
            {
                position++;
                return lookup(braced) ?? "";
            }
            var colon = text[position] == ':';
            if (colon)
            {
                position++;
            }
            if (position >= text.Length || text[position] is not ('-' or '+'))
            {
                throw new FormatException($"unsupported modifier in \"{text}\": only ${{name:-word}}, ${{name-word}}, ${{name:+word}} and ${{name+word}} are allowed");
            }
            var modifier = text[position++];
            var word = ModifierWord();
            var value = lookup(braced);
            var set = colon ? !string.IsNullOrEmpty(value) : value is not null;
            return modifier == '-' ? (set ? value! : word) : (set ? word : "");
        }

        // The word of a modifier, up to the matching '}', itself processed for quotes and variables.
        private string ModifierWord()
        {
            var start = position;
            var depth = 0;
            while (position < text.Length)
            {
                var c = text[position];
                if (c == escape)
                {
                    position += 2;
                    continue;
                }
                if (c == '{')
                {
                    depth++;
                }
                else if (c == '}')
                {
                    if (depth == 0)
                    {
                        var inner = text[start..position];
                        position++;
                        return string.Concat(new Lexer(inner, escape, lookup).Words(split: false));
                    }
                    depth--;
                }
                position++;
            }
            throw new FormatException($"missing '}}' in \"{text}\"");
        }

        private string Name()
        {
            var start = position;
            while (position < text.Length && (char.IsAsciiLetterOrDigit(text[position]) || text[position] == '_')
                && !(position == start && char.IsAsciiDigit(text[position])))
            {
                position++;
            }
            return text[start..position];
        }
    }
}
