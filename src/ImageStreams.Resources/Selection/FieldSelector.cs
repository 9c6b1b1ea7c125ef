using ImageStreams.Model.Meta;

namespace ImageStreams.Resources.Selection;

/// <summary>A parsed field selector over the fields every resource supports: <c>metadata.name</c> and <c>metadata.namespace</c>.</summary>
public sealed class FieldSelector
{
    private readonly IReadOnlyList<(string Field, bool Equal, string Value)> _terms;

    private FieldSelector(IReadOnlyList<(string, bool, string)> terms)
    {
        _terms = terms;
    }

    public static FieldSelector Everything { get; } = new([]);

    public static FieldSelector Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }
        var terms = new List<(string, bool, string)>();
        foreach (var part in text.Split(','))
        {
            var term = part.Trim();
            var (op, length) = term.Contains("!=", StringComparison.Ordinal) ? ("!=", 2)
                : term.Contains("==", StringComparison.Ordinal) ? ("==", 2)
                : term.Contains('=', StringComparison.Ordinal) ? ("=", 1)
                : throw ApiErrors.BadRequest($"invalid field selector \"{text}\": \"{term}\" has no operator (=, == or !=)");
            var at = term.IndexOf(op, StringComparison.Ordinal);
            var field = term[..at].Trim();
            var value = term[(at + length)..].Trim();
            if (field is not ("metadata.name" or "metadata.namespace"))
            {
                throw ApiErrors.BadRequest($"field label not supported: {field}");
            }
            terms.Add((field, op != "!=", value));
        }
        return new FieldSelector(terms);
    }

    public bool Matches(ObjectMeta metadata)
    {
        foreach (var (field, equal, value) in _terms)
        {
            var actual = field == "metadata.name" ? metadata.Name ?? "" : metadata.Namespace ?? "";
            if ((actual == value) != equal)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>The name a selector pins with <c>metadata.name=x</c>, so a list can read one object instead of all.</summary>
    public string? ExactName => _terms.FirstOrDefault(t => t.Field == "metadata.name" && t.Equal).Value;
}
