using System.Text;
using System.Text.Json;
using ImageStreams.Registry.References;

namespace ImageStreams.Registry.Auth;

/// <summary>
/// Credentials from Docker configuration: the payloads of Kubernetes <c>kubernetes.io/dockerconfigjson</c>
/// (<c>{"auths":{...}}</c>) and <c>kubernetes.io/dockercfg</c> (<c>{...}</c>) secrets, or a docker
/// <c>config.json</c>. Keys are matched as the kubelet does: the host (with <c>*</c> globs per label) and port
/// must match, the key's path must be a prefix of the repository; the most specific key wins, then the earliest.
/// </summary>
public sealed class DockerConfigCredentialProvider : ICredentialProvider
{
    private static readonly string[] DockerHubAliases = ["index.docker.io", "registry-1.docker.io", "registry.hub.docker.com", ImageReference.DockerHub];

    private readonly IReadOnlyList<Entry> entries;

    private DockerConfigCredentialProvider(IReadOnlyList<Entry> entries)
    {
        this.entries = entries
            .OrderByDescending(e => e.Path.Length)
            .ThenBy(e => e.HostLabels.Contains("*") ? 1 : 0)
            .ThenBy(e => e.Order)
            .ToList();
    }

    /// <summary>No credentials at all.</summary>
    public static DockerConfigCredentialProvider Empty { get; } = new([]);

    /// <summary>From the decoded data of pull secrets, in the order given (earlier wins a tie).</summary>
    /// <exception cref="FormatException">A payload is not a docker configuration.</exception>
    public static DockerConfigCredentialProvider FromSecrets(IEnumerable<ReadOnlyMemory<byte>> payloads)
    {
        var all = new List<Entry>();
        foreach (var payload in payloads)
        {
            Read(payload, all);
        }
        return new DockerConfigCredentialProvider(all);
    }

    public static DockerConfigCredentialProvider FromJson(ReadOnlyMemory<byte> payload) => FromSecrets([payload]);

    /// <summary>From a docker <c>config.json</c>; a missing file gives no credentials.</summary>
    public static DockerConfigCredentialProvider FromFile(string path) =>
        File.Exists(path) ? FromJson(File.ReadAllBytes(path)) : Empty;

    /// <summary><c>$DOCKER_CONFIG/config.json</c>, else <c>~/.docker/config.json</c>.</summary>
    public static string DefaultConfigPath()
    {
        var dir = Environment.GetEnvironmentVariable("DOCKER_CONFIG");
        if (string.IsNullOrEmpty(dir))
        {
            dir = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".docker");
        }
        return Path.Combine(dir, "config.json");
    }

    public RegistryCredential? Resolve(string registry, string repository)
    {
        var (host, port) = SplitHost(NormalizeHost(registry));
        var labels = host.Split('.');
        foreach (var entry in entries)
        {
            if (entry.Port == port && HostMatches(entry.HostLabels, labels) && PathMatches(entry.Path, repository))
            {
                return entry.Credential;
            }
        }
        return null;
    }

    private static void Read(ReadOnlyMemory<byte> payload, List<Entry> into)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(payload);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"the docker configuration is not valid JSON: {ex.Message}", ex);
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException("the docker configuration is not a JSON object");
            }
            // dockerconfigjson and config.json wrap the entries in "auths"; the old dockercfg does not.
            var auths = document.RootElement.TryGetProperty("auths", out var wrapped) && wrapped.ValueKind == JsonValueKind.Object
                ? wrapped
                : document.RootElement;
            foreach (var property in auths.EnumerateObject())
            {
                if (property.Value.ValueKind == JsonValueKind.Object
                    && CredentialOf(property.Value) is { } credential
                    && ParseKey(property.Name) is { } key)
                {
                    into.Add(new Entry(key.Labels, key.Port, key.Path, credential, into.Count));
                }
            }
        }
    }

    private static RegistryCredential? CredentialOf(JsonElement value)
    {
        if (value.TryGetProperty("auth", out var auth) && auth.ValueKind == JsonValueKind.String && auth.GetString() is { Length: > 0 } encoded)
        {
            string decoded;
            try
            {
                decoded = Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
            }
            catch (FormatException)
            {
                return null;
            }
            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            return colon > 0 ? new RegistryCredential(decoded[..colon], decoded[(colon + 1)..]) : null;
        }
        var username = value.TryGetProperty("username", out var u) && u.ValueKind == JsonValueKind.String ? u.GetString() : null;
        var password = value.TryGetProperty("password", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
        return string.IsNullOrEmpty(username) ? null : new RegistryCredential(username, password ?? "");
    }

    // Keys come as "host", "host:port/path", "https://host/v1/" or "http://host".
    private static (string[] Labels, string? Port, string Path)? ParseKey(string key)
    {
        var rest = key.Trim();
        var scheme = rest.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
        {
            rest = rest[(scheme + 3)..];
        }
        rest = rest.TrimEnd('/');
        if (rest.Length == 0)
        {
            return null;
        }
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var hostPart = slash >= 0 ? rest[..slash] : rest;
        var path = slash >= 0 ? rest[(slash + 1)..] : "";
        // The API version suffix of old keys ("https://index.docker.io/v1/") is no repository path.
        if (path is "v1" or "v2")
        {
            path = "";
        }
        var (host, port) = SplitHost(NormalizeHost(hostPart));
        return (host.Split('.'), port, path);
    }

    private static string NormalizeHost(string host)
    {
        var lower = host.ToLowerInvariant();
        return DockerHubAliases.Contains(lower) ? ImageReference.DockerHub : lower;
    }

    private static (string Host, string? Port) SplitHost(string hostAndPort)
    {
        var bracket = hostAndPort.LastIndexOf(']');
        var colon = hostAndPort.LastIndexOf(':');
        return colon > bracket ? (hostAndPort[..colon], hostAndPort[(colon + 1)..]) : (hostAndPort, null);
    }

    private static bool HostMatches(string[] pattern, string[] labels) =>
        pattern.Length == labels.Length && pattern.Zip(labels).All(p => Glob(p.First, p.Second));

    private static bool Glob(string pattern, string value)
    {
        if (!pattern.Contains('*', StringComparison.Ordinal))
        {
            return pattern == value;
        }
        var parts = pattern.Split('*');
        if (!value.StartsWith(parts[0], StringComparison.Ordinal) || !value.EndsWith(parts[^1], StringComparison.Ordinal))
        {
            return false;
        }
        var position = parts[0].Length;
        foreach (var middle in parts[1..^1])
        {
            var found = value.IndexOf(middle, position, StringComparison.Ordinal);
            if (found < 0)
            {
                return false;
            }
            position = found + middle.Length;
        }
        return position <= value.Length - parts[^1].Length;
    }

    private static bool PathMatches(string prefix, string repository) =>
        prefix.Length == 0
        || repository == prefix
        || (repository.StartsWith(prefix, StringComparison.Ordinal) && repository[prefix.Length] == '/');

    private sealed record Entry(string[] HostLabels, string? Port, string Path, RegistryCredential Credential, int Order);
}
