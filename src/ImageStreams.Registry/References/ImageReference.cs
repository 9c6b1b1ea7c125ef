using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Text.RegularExpressions;

namespace ImageStreams.Registry.References;

/// <summary>
/// An image reference in Docker's grammar (distribution/reference): <c>[registry/]repository[:tag][@digest]</c>,
/// normalized as Docker does: no registry means <c>docker.io</c>, a one-component Docker Hub name gets
/// <c>library/</c>, and a reference with neither tag nor digest gets the tag <c>latest</c>.
/// </summary>
public sealed partial record ImageReference
{
    public const string DockerHub = "docker.io";

    /// <summary>The host that serves Docker Hub's registry API (docker.io itself does not).</summary>
    public const string DockerHubApiHost = "registry-1.docker.io";

    public const string DefaultTag = "latest";

    private const int MaxNameLength = 255;

    private ImageReference(string registry, string repository, string? tag, Digest? digest)
    {
        Registry = registry;
        Repository = repository;
        Tag = tag;
        Digest = digest;
    }

    /// <summary>The registry as written in references: <c>docker.io</c>, <c>quay.io</c>, <c>localhost:5000</c>, <c>[::1]:5000</c>.</summary>
    public string Registry { get; }

    /// <summary>The repository path inside the registry, e.g. <c>library/busybox</c>.</summary>
    public string Repository { get; }

    /// <summary>The tag; null only for a digest-only reference.</summary>
    public string? Tag { get; }

    public Digest? Digest { get; }

    /// <summary>The host (and port) to send registry API requests to.</summary>
    public string RegistryHost => Registry == DockerHub ? DockerHubApiHost : Registry;

    /// <summary><c>registry/repository</c>, without tag or digest.</summary>
    public string Name => $"{Registry}/{Repository}";

    /// <summary>What a manifest request names: the digest when there is one, else the tag.</summary>
    public string Identifier => Digest?.ToString() ?? Tag ?? DefaultTag;

    public static ImageReference Parse(string value) =>
        TryParse(value, out var reference, out var error) ? reference : throw new FormatException(error);

    public static bool TryParse([NotNullWhen(true)] string? value, [NotNullWhen(true)] out ImageReference? reference) =>
        TryParse(value, out reference, out _);

    public static bool TryParse(
        [NotNullWhen(true)] string? value,
        [NotNullWhen(true)] out ImageReference? reference,
        [NotNullWhen(false)] out string? error)
    {
        reference = null;
        error = Validate(value, out var registry, out var repository, out var tag, out var digest);
        if (error is not null)
        {
            error = $"invalid reference format: {error}";
            return false;
        }
        reference = new ImageReference(registry!, repository!, tag ?? (digest is null ? DefaultTag : null), digest);
        return true;
    }

    /// <summary>A copy that names <paramref name="tag"/> (and no digest).</summary>
    public ImageReference WithTag(string tag)
    {
        if (!TagPattern().IsMatch(tag))
        {
            throw new FormatException($"invalid reference format: invalid tag \"{tag}\"");
        }
        return new ImageReference(Registry, Repository, tag, null);
    }

    /// <summary>A copy that pins <paramref name="digest"/>, keeping the tag.</summary>
    public ImageReference WithDigest(Digest digest) => new(Registry, Repository, Tag, digest);

    /// <summary>The digest-only form <c>registry/repository@digest</c>, as image references are stored.</summary>
    public ImageReference ForDigest(Digest digest) => new(Registry, Repository, null, digest);

    /// <summary>The fully qualified form: <c>registry/repository[:tag][@digest]</c>.</summary>
    public string Exact() =>
        Name + (Tag is null ? "" : ":" + Tag) + (Digest is null ? "" : "@" + Digest);

    public override string ToString() => Exact();

    /// <summary>Whether the registry is on this machine (localhost, 127.0.0.0/8 or ::1).</summary>
    public static bool IsLoopback(string registryHost)
    {
        var host = HostWithoutPort(registryHost);
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        return IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address);
    }

    /// <summary>The host part of <c>host[:port]</c> or <c>[ipv6][:port]</c>, without brackets.</summary>
    public static string HostWithoutPort(string registryHost)
    {
        if (registryHost.StartsWith('['))
        {
            var end = registryHost.IndexOf(']', StringComparison.Ordinal);
            return end > 0 ? registryHost[1..end] : registryHost;
        }
        var colon = registryHost.LastIndexOf(':');
        return colon >= 0 ? registryHost[..colon] : registryHost;
    }

    private static string? Validate(string? value, out string? registry, out string? repository, out string? tag, out Digest? digest)
    {
        registry = repository = tag = null;
        digest = null;
        if (string.IsNullOrEmpty(value))
        {
            return "empty reference";
        }
        if (value.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            return $"\"{value}\" contains whitespace";
        }

        var rest = value;
        var at = rest.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            if (!Digest.TryParse(rest[(at + 1)..], out digest, out var digestError))
            {
                return digestError;
            }
            rest = rest[..at];
        }

        var lastSlash = rest.LastIndexOf('/');
        var colon = rest.IndexOf(':', lastSlash + 1);
        if (colon >= 0)
        {
            tag = rest[(colon + 1)..];
            rest = rest[..colon];
            if (!TagPattern().IsMatch(tag))
            {
                return $"invalid tag \"{tag}\" in \"{value}\"";
            }
        }
        if (rest.Length == 0)
        {
            return $"\"{value}\" has no repository name";
        }

        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        string path;
        if (slash < 0 || !LooksLikeRegistry(rest[..slash]))
        {
            registry = DockerHub;
            path = rest;
        }
        else
        {
            registry = rest[..slash];
            path = rest[(slash + 1)..];
            if (!RegistryPattern().IsMatch(registry))
            {
                return $"invalid registry \"{registry}\" in \"{value}\"";
            }
            if (registry.Equals("index.docker.io", StringComparison.OrdinalIgnoreCase)
                || registry.Equals(DockerHub, StringComparison.OrdinalIgnoreCase))
            {
                registry = DockerHub;
            }
        }

        if (path.Any(char.IsAsciiLetterUpper))
        {
            return $"repository name \"{path}\" must be lowercase";
        }
        if (!PathPattern().IsMatch(path))
        {
            return $"invalid repository name \"{path}\" in \"{value}\"";
        }
        if (registry == DockerHub && !path.Contains('/', StringComparison.Ordinal))
        {
            path = "library/" + path;
        }
        if (registry.Length + 1 + path.Length > MaxNameLength)
        {
            return $"repository name \"{registry}/{path}\" is longer than {MaxNameLength} characters";
        }
        repository = path;
        return null;
    }

    // Docker reads the first component as a registry only when it has a dot, a port, is localhost or has upper case.
    private static bool LooksLikeRegistry(string component) =>
        component.Contains('.', StringComparison.Ordinal)
        || component.Contains(':', StringComparison.Ordinal)
        || component == "localhost"
        || component.Any(char.IsAsciiLetterUpper);

    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")]
    private static partial Regex TagPattern();

    [GeneratedRegex(@"^(?:(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*|\[[a-fA-F0-9:]+\])(?::[0-9]+)?$")]
    private static partial Regex RegistryPattern();

    [GeneratedRegex(@"^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$")]
    private static partial Regex PathPattern();
}
