namespace ImageStreams.Registry.Auth;

/// <summary>
/// One challenge of a <c>WWW-Authenticate</c> header (RFC 7235), e.g.
/// <c>Bearer realm="https://auth.example/token",service="registry",scope="repository:a/b:pull"</c>.
/// </summary>
internal sealed record AuthChallenge(string Scheme, IReadOnlyDictionary<string, string> Parameters)
{
    public const string Bearer = "Bearer";
    public const string Basic = "Basic";

    public bool IsBearer => Scheme.Equals(Bearer, StringComparison.OrdinalIgnoreCase);

    public bool IsBasic => Scheme.Equals(Basic, StringComparison.OrdinalIgnoreCase);

    public string? Realm => Parameters.GetValueOrDefault("realm");

    public string? Service => Parameters.GetValueOrDefault("service");

    public string? Scope => Parameters.GetValueOrDefault("scope");

    /// <summary>The challenge to answer: Bearer if offered (registries list it for token auth), else Basic.</summary>
    public static AuthChallenge? Select(IEnumerable<string> headerValues)
    {
        var all = headerValues.SelectMany(Parse).ToList();
        return all.FirstOrDefault(c => c.IsBearer) ?? all.FirstOrDefault(c => c.IsBasic);
    }

    /// <summary>Every challenge in one header value (a value may hold several, comma separated).</summary>
    public static IReadOnlyList<AuthChallenge> Parse(string header)
    {
        var challenges = new List<AuthChallenge>();
        var i = 0;
        while (i < header.Length)
        {
            SkipSeparators(header, ref i);
            var scheme = ReadToken(header, ref i);
            if (scheme.Length == 0)
            {
                break;
            }
            var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            while (true)
            {
                SkipSeparators(header, ref i);
                var start = i;
                var name = ReadToken(header, ref i);
                SkipSpaces(header, ref i);
                if (name.Length == 0 || i >= header.Length || header[i] != '=')
                {
                    // Not "name=": the start of the next challenge.
                    i = start;
                    break;
                }
                i++;
                SkipSpaces(header, ref i);
                parameters[name] = i < header.Length && header[i] == '"' ? ReadQuoted(header, ref i) : ReadToken(header, ref i);
            }
            challenges.Add(new AuthChallenge(scheme, parameters));
        }
        return challenges;
    }

    private static void SkipSpaces(string s, ref int i)
    {
        while (i < s.Length && s[i] is ' ' or '\t')
        {
            i++;
        }
    }

    private static void SkipSeparators(string s, ref int i)
    {
        while (i < s.Length && s[i] is ' ' or '\t' or ',')
        {
            i++;
        }
    }

    private static string ReadToken(string s, ref int i)
    {
        var start = i;
        while (i < s.Length && s[i] is not (' ' or '\t' or ',' or '=' or '"'))
        {
            i++;
        }
        return s[start..i];
    }

    private static string ReadQuoted(string s, ref int i)
    {
        var value = new System.Text.StringBuilder();
        i++;
        while (i < s.Length && s[i] != '"')
        {
            if (s[i] == '\\' && i + 1 < s.Length)
            {
                i++;
            }
            value.Append(s[i]);
            i++;
        }
        i++;
        return value.ToString();
    }
}
