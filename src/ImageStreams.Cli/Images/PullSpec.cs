using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace ImageStreams.Cli.Images;

/// <summary>
/// An image reference as oc reads its arguments: nothing is defaulted (no docker.io, no library/, no latest), so
/// <c>ruby:2.7</c> can name an image stream tag as well as a Docker Hub image. The first path component is the
/// registry only when it has a '.' or a ':' or is <c>localhost</c>; the next one, when more follow, is the namespace.
/// </summary>
internal sealed partial record PullSpec(string Registry, string Namespace, string Name, string Tag, string Id)
{
    private const int MaxNameLength = 255;

    /// <summary>name, name:tag, name@id or name:tag@id, without registry and namespace.</summary>
    public string NameString =>
        Name.Length == 0 ? ""
        : Tag.Length > 0 && Id.Length > 0 ? $"{Name}:{Tag}@{Id}"
        : Id.Length > 0 ? $"{Name}@{Id}"
        : Tag.Length > 0 ? $"{Name}:{Tag}"
        : Name;

    /// <summary>Every part that is set, and nothing added: what oc writes into a tag's <c>from.name</c>.</summary>
    public string Exact
    {
        get
        {
            if (Name.Length == 0)
            {
                return "";
            }
            var prefix = Registry.Length > 0 ? Registry + "/" : "";
            return prefix + (Namespace.Length > 0 ? Namespace + "/" : "") + NameString;
        }
    }

    public static bool TryParse(string text, [NotNullWhen(true)] out PullSpec? spec, [NotNullWhen(false)] out string? error)
    {
        spec = null;
        error = null;
        var rest = text;
        var id = "";
        var at = rest.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            id = rest[(at + 1)..];
            rest = rest[..at];
            if (!DigestPattern().IsMatch(id))
            {
                error = "invalid reference format";
                return false;
            }
        }
        var tag = "";
        var colon = rest.LastIndexOf(':');
        if (colon > rest.LastIndexOf('/'))
        {
            tag = rest[(colon + 1)..];
            rest = rest[..colon];
            if (!TagPattern().IsMatch(tag))
            {
                error = "invalid reference format";
                return false;
            }
        }
        if (rest.Length > MaxNameLength)
        {
            error = $"repository name must not be more than {MaxNameLength} characters";
            return false;
        }

        var components = rest.Split('/');
        var registry = "";
        if (components.Length > 1 && IsRegistry(components[0]))
        {
            registry = components[0];
            if (!DomainPattern().IsMatch(registry))
            {
                error = "invalid reference format";
                return false;
            }
            components = components[1..];
        }
        foreach (var component in components)
        {
            if (PathComponentPattern().IsMatch(component))
            {
                continue;
            }
            error = PathComponentPattern().IsMatch(component.ToLowerInvariant())
                ? "invalid reference format: repository name must be lowercase"
                : "invalid reference format";
            return false;
        }
        var ns = components.Length > 1 ? components[0] : "";
        var name = components.Length > 1 ? string.Join('/', components[1..]) : components[0];
        spec = new PullSpec(registry, ns, name, tag, id);
        return true;
    }

    private static bool IsRegistry(string component) =>
        component.Contains('.', StringComparison.Ordinal) || component.Contains(':', StringComparison.Ordinal) || component == "localhost";

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9A-Fa-f]{32,}$", RegexOptions.CultureInvariant)]
    private static partial Regex DigestPattern();

    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$", RegexOptions.CultureInvariant)]
    private static partial Regex TagPattern();

    [GeneratedRegex(@"^[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex DomainPattern();

    [GeneratedRegex(@"^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex PathComponentPattern();
}
