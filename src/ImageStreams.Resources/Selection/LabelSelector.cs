using System.Text.RegularExpressions;
using ImageStreams.Model.Meta;

namespace ImageStreams.Resources.Selection;

/// <summary>
/// A parsed Kubernetes label selector: requirements joined by commas, each <c>key</c>, <c>!key</c>, <c>key=v</c>,
/// <c>key==v</c>, <c>key!=v</c>, <c>key in (a,b)</c>, <c>key notin (a,b)</c>, <c>key&gt;n</c> or <c>key&lt;n</c>.
/// </summary>
public sealed partial class LabelSelector
{
    private readonly IReadOnlyList<Requirement> _requirements;

    private LabelSelector(IReadOnlyList<Requirement> requirements)
    {
        _requirements = requirements;
    }

    public static LabelSelector Everything { get; } = new([]);

    public bool IsEverything => _requirements.Count == 0;

    /// <summary>Parses a selector; BadRequest with the reason when it is malformed.</summary>
    public static LabelSelector Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }
        try
        {
            return new LabelSelector(new Parser(text).ParseAll());
        }
        catch (FormatException e)
        {
            throw ApiErrors.BadRequest($"unable to parse requirement: {e.Message} (in label selector \"{text}\")");
        }
    }

    public bool Matches(IReadOnlyDictionary<string, string>? labels)
    {
        foreach (var requirement in _requirements)
        {
            if (!requirement.Matches(labels))
            {
                return false;
            }
        }
        return true;
    }

    [GeneratedRegex("^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex KeyPattern();

    [GeneratedRegex("^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex ValuePattern();

    private enum Operator
    {
        Exists,
        DoesNotExist,
        Equals,
        NotEquals,
        In,
        NotIn,
        GreaterThan,
        LessThan,
    }

    private sealed record Requirement(string Key, Operator Op, IReadOnlyList<string> Values)
    {
        public bool Matches(IReadOnlyDictionary<string, string>? labels)
        {
            string? value = null;
            var has = labels is not null && labels.TryGetValue(Key, out value);
            return Op switch
            {
                Operator.Exists => has,
                Operator.DoesNotExist => !has,
                Operator.Equals or Operator.In => has && Values.Contains(value!),
                // As in Kubernetes, "!=" and "notin" also select objects without the label.
                Operator.NotEquals or Operator.NotIn => !has || !Values.Contains(value!),
                Operator.GreaterThan => has && long.TryParse(value, out var g) && g > long.Parse(Values[0], System.Globalization.CultureInfo.InvariantCulture),
                Operator.LessThan => has && long.TryParse(value, out var l) && l < long.Parse(Values[0], System.Globalization.CultureInfo.InvariantCulture),
                _ => false,
            };
        }
    }

    private sealed class Parser(string text)
    {
        private int _position;

        public List<Requirement> ParseAll()
        {
            var requirements = new List<Requirement>();
            while (true)
            {
                requirements.Add(ParseRequirement());
                SkipSpaces();
                if (_position >= text.Length)
                {
                    return requirements;
                }
                Expect(',');
            }
        }

        private Requirement ParseRequirement()
        {
            SkipSpaces();
            if (Peek() == '!')
            {
                _position++;
                return new Requirement(Key(), Operator.DoesNotExist, []);
            }
            var key = Key();
            SkipSpaces();
            if (_position >= text.Length || Peek() == ',')
            {
                return new Requirement(key, Operator.Exists, []);
            }
            if (Take("==") || Take("="))
            {
                return new Requirement(key, Operator.Equals, [Value()]);
            }
            if (Take("!="))
            {
                return new Requirement(key, Operator.NotEquals, [Value()]);
            }
            if (Take(">") || Take("<"))
            {
                var op = text[_position - 1] == '>' ? Operator.GreaterThan : Operator.LessThan;
                var number = Value();
                return long.TryParse(number, out _)
                    ? new Requirement(key, op, [number])
                    : throw new FormatException($"for '{key}', the value \"{number}\" must be an integer");
            }
            var word = Word();
            var setOp = word switch
            {
                "in" => Operator.In,
                "notin" => Operator.NotIn,
                _ => throw new FormatException($"found '{word}', expected: in, notin, =, ==, !=, gt, lt"),
            };
            SkipSpaces();
            Expect('(');
            var values = new List<string>();
            while (true)
            {
                SkipSpaces();
                if (Peek() == ')')
                {
                    _position++;
                    break;
                }
                values.Add(Value());
                SkipSpaces();
                if (Peek() == ',')
                {
                    _position++;
                }
                else
                {
                    Expect(')');
                    break;
                }
            }
            return values.Count > 0 ? new Requirement(key, setOp, values) : throw new FormatException($"for '{word}', a value set is required");
        }

        private string Key()
        {
            SkipSpaces();
            var key = Word();
            return KeyPattern().IsMatch(key) ? key : throw new FormatException($"invalid label key \"{key}\"");
        }

        private string Value()
        {
            SkipSpaces();
            var value = Word();
            return ValuePattern().IsMatch(value) ? value : throw new FormatException($"invalid label value \"{value}\"");
        }

        private string Word()
        {
            var start = _position;
            while (_position < text.Length && !IsDelimiter(text[_position]))
            {
                _position++;
            }
            return text[start.._position];
        }

        private static bool IsDelimiter(char c) => char.IsWhiteSpace(c) || c is ',' or '=' or '!' or '(' or ')' or '<' or '>';

        private char Peek() => _position < text.Length ? text[_position] : '\0';

        private bool Take(string token)
        {
            if (string.CompareOrdinal(text, _position, token, 0, token.Length) == 0)
            {
                _position += token.Length;
                return true;
            }
            return false;
        }

        private void Expect(char c)
        {
            if (Peek() != c)
            {
                throw new FormatException(_position >= text.Length ? $"expected '{c}' at the end" : $"found '{text[_position]}', expected '{c}'");
            }
            _position++;
        }

        private void SkipSpaces()
        {
            while (_position < text.Length && char.IsWhiteSpace(text[_position]))
            {
                _position++;
            }
        }
    }
}
