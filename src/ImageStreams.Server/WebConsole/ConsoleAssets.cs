using System.Collections.Frozen;
using System.Security.Cryptography;

namespace ImageStreams.Server.WebConsole;

/// <summary>One file of the console, as served.</summary>
internal sealed record ConsoleAsset(byte[] Content, string ContentType, string ETag);

/// <summary>The console's files, embedded in the server's assembly so one binary serves everything.</summary>
internal sealed class ConsoleAssets
{
    public const string Index = "index.html";

    private const string ResourcePrefix = "console/";

    private readonly FrozenDictionary<string, ConsoleAsset> _files;

    private ConsoleAssets(FrozenDictionary<string, ConsoleAsset> files) => _files = files;

    public ConsoleAsset? Find(string name) => _files.GetValueOrDefault(name);

    public static ConsoleAssets Load()
    {
        var assembly = typeof(ConsoleAssets).Assembly;
        var files = new Dictionary<string, ConsoleAsset>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            {
                continue;
            }
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var content = buffer.ToArray();
            var etag = $"\"{Convert.ToHexStringLower(SHA256.HashData(content))[..16]}\"";
            var name = resource[ResourcePrefix.Length..];
            files[name] = new ConsoleAsset(content, ContentType(name), etag);
        }
        return new ConsoleAssets(files.ToFrozenDictionary(StringComparer.Ordinal));
    }

    private static string ContentType(string name) => System.IO.Path.GetExtension(name) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".svg" => "image/svg+xml",
        _ => "application/octet-stream",
    };
}
