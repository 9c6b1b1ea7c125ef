using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ImageStreams.Registry.References;

namespace ImageStreams.Builder.Layers;

/// <summary>What a layer written before came to: its digests and size.</summary>
internal sealed record CachedLayer(Digest Digest, Digest DiffId, long Size);

/// <summary>
/// Remembers the digests of layers already written, by a key over everything that decides their bytes (each entry's
/// path, type, mode, owner, link and content hash; the time; the compression). A rebuild whose files did not change
/// knows its layer's digest after hashing the files, without writing and compressing the layer again; the bytes are
/// written only if the registry lacks them. Entries are small files, one per key, written atomically.
/// </summary>
internal sealed class LayerCache(string directory)
{
    // Changes whenever LayerWriter's output for the same entries would change.
    private const string FormatVersion = "gnu-tar-v1";

    public static string Key(IEnumerable<LayerEntry> entries, DateTimeOffset timestamp, CompressionLevel level)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string text) => hash.AppendData(Encoding.UTF8.GetBytes(text));
        Add(string.Create(CultureInfo.InvariantCulture, $"{FormatVersion}\n{timestamp.ToUnixTimeSeconds()}\n{level}\n"));
        foreach (var entry in entries.OrderBy(e => e.Path, StringComparer.Ordinal))
        {
            var content = entry.Type == System.Formats.Tar.TarEntryType.RegularFile ? ContentHash(entry) : "";
            Add(string.Create(CultureInfo.InvariantCulture,
                $"{entry.Path}\0{(int)entry.Type}\0{(int)entry.Mode}\0{entry.Uid}\0{entry.Gid}\0{entry.LinkTarget}\0{content}\n"));
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    public CachedLayer? Find(string key)
    {
        try
        {
            var json = JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(PathOf(key)));
            return json is not null
                && Digest.TryParse(json.GetValueOrDefault("digest"), out var digest, out _)
                && Digest.TryParse(json.GetValueOrDefault("diffId"), out var diffId, out _)
                && long.TryParse(json.GetValueOrDefault("size"), NumberStyles.None, CultureInfo.InvariantCulture, out var size)
                ? new CachedLayer(digest, diffId, size)
                : null;
        }
        catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public void Store(string key, LayerFile layer)
    {
        Directory.CreateDirectory(directory);
        var json = JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["digest"] = layer.Digest.ToString(),
            ["diffId"] = layer.DiffId.ToString(),
            ["size"] = layer.Size.ToString(CultureInfo.InvariantCulture),
        });
        var temporary = PathOf(key) + "." + Guid.NewGuid().ToString("N")[..8];
        File.WriteAllText(temporary, json);
        File.Move(temporary, PathOf(key), overwrite: true);
    }

    public void Forget(string key)
    {
        try
        {
            File.Delete(PathOf(key));
        }
        catch (IOException)
        {
            // The next write replaces it.
        }
    }

    private string PathOf(string key) => Path.Combine(directory, key + ".json");

    private static string ContentHash(LayerEntry entry)
    {
        if (entry.Content is { } content)
        {
            return Convert.ToHexStringLower(SHA256.HashData(content));
        }
        using var file = new FileStream(entry.SourceFile!, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return Convert.ToHexStringLower(SHA256.HashData(file));
    }
}
