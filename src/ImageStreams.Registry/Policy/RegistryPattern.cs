using ImageStreams.Registry.References;

namespace ImageStreams.Registry.Policy;

/// <summary>
/// A registry, or a part of one, as the import policy names it: <c>host[:port][/path]</c>, where the host may start with
/// <c>*.</c> for every subdomain (<c>*.example.com</c>). Without a port any port matches; a path matches that repository
/// path and everything under it. Docker Hub's host names all mean <c>docker.io</c>.
/// </summary>
public sealed record RegistryPattern
{
    private static readonly string[] DockerHubAliases = ["index.docker.io", ImageReference.DockerHubApiHost, "registry.hub.docker.com"];

    private RegistryPattern(string host, string? port, string path)
    {
        Host = host;
        Port = port;
        Path = path;
    }

    /// <summary>The host, lower case; <c>*.example.com</c> for subdomains.</summary>
    public string Host { get; }

    /// <summary>The port, or null for any.</summary>
    public string? Port { get; }

    /// <summary>The repository path prefix, or empty for the whole registry.</summary>
    public string Path { get; }

    /// <exception cref="FormatException">The text is not host[:port][/path].</exception>
    public static RegistryPattern Parse(string text)
    {
        var value = text.Trim();
        if (value.Contains("://", StringComparison.Ordinal))
        {
            throw new FormatException($"\"{text}\" must be host[:port][/path], without a scheme");
        }
        var slash = value.IndexOf('/', StringComparison.Ordinal);
        var hostPort = slash >= 0 ? value[..slash] : value;
        var path = slash >= 0 ? value[(slash + 1)..].TrimEnd('/') : "";
        var (host, port) = Split(hostPort);
        var wildcard = host.StartsWith("*.", StringComparison.Ordinal);
        var bare = wildcard ? host[2..] : host;
        if (bare.Length == 0 || bare.Contains('*', StringComparison.Ordinal) || bare.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or ':'))
            || (port is not null && (!int.TryParse(port, out var number) || number is < 1 or > 65535))
            || path.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            throw new FormatException($"\"{text}\" must be host[:port][/path], such as quay.io, *.example.com or registry.example.com:5000/team");
        }
        return new RegistryPattern(DockerHubAliases.Contains(host) ? ImageReference.DockerHub : host, port, path);
    }

    /// <summary>Several patterns separated by commas; blanks are skipped.</summary>
    public static IReadOnlyList<RegistryPattern> ParseList(string? text) =>
        string.IsNullOrWhiteSpace(text)
            ? []
            : text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Parse).ToList();

    /// <summary>Whether <paramref name="registry"/> (<c>host[:port]</c>) and, when given, <paramref name="repository"/> fall under this pattern.</summary>
    public bool Matches(string registry, string? repository)
    {
        var (host, port) = Split(registry);
        if (DockerHubAliases.Contains(host))
        {
            host = ImageReference.DockerHub;
        }
        var hostMatches = Host.StartsWith("*.", StringComparison.Ordinal)
            ? host.EndsWith(Host[1..], StringComparison.Ordinal)
            : host == Host;
        if (!hostMatches || (Port is not null && Port != port))
        {
            return false;
        }
        // A host alone (a token realm, a redirect) falls under whole-registry patterns only.
        return Path.Length == 0
            || (repository is not null && (repository == Path || repository.StartsWith(Path + "/", StringComparison.Ordinal)));
    }

    /// <summary>The lower-case host (without brackets) and the port, or null, of <c>host[:port]</c>.</summary>
    internal static (string Host, string? Port) Split(string hostPort)
    {
        var host = ImageReference.HostWithoutPort(hostPort).ToLowerInvariant();
        var colon = hostPort.LastIndexOf(':');
        var hasPort = colon > hostPort.LastIndexOf(']') && (hostPort.StartsWith('[') || hostPort.IndexOf(':') == colon);
        return (host, hasPort ? hostPort[(colon + 1)..] : null);
    }

    public override string ToString() => Host + (Port is null ? "" : ":" + Port) + (Path.Length == 0 ? "" : "/" + Path);
}
