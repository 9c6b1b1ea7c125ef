using System.Security.Cryptography;

namespace ImageStreams.Store.Encryption;

/// <summary>
/// The AES-256 key objects are encrypted with at rest. It lives in a file of its own in the data directory (made on first
/// start, readable by the owner only), so a copy of the database alone reveals nothing.
/// </summary>
public sealed class EncryptionKey
{
    /// <summary>The file name the server uses inside its data directory.</summary>
    public const string DefaultFileName = "encryption.key";

    private const int KeyBytes = 32;
    private const string Prefix = "aesgcm:";

    private EncryptionKey(byte[] key)
    {
        Key = key;
        // Names the key in every ciphertext, so a rotated key can be told from the old one.
        Id = Convert.ToHexStringLower(SHA256.HashData(key))[..8];
    }

    /// <summary>A short fingerprint of the key (not secret).</summary>
    public string Id { get; }

    internal byte[] Key { get; }

    /// <summary>A new random key (tests; the server keeps its key in a file).</summary>
    public static EncryptionKey Generate() => new(RandomNumberGenerator.GetBytes(KeyBytes));

    /// <summary>
    /// Reads the key from <paramref name="path"/>, or creates the file with a new random key (mode 0600) when there is none.
    /// </summary>
    /// <exception cref="InvalidDataException">The file exists but does not hold a key.</exception>
    public static EncryptionKey LoadOrCreate(string path)
    {
        if (!File.Exists(path))
        {
            var created = Generate();
            try
            {
                var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
                if (!OperatingSystem.IsWindows())
                {
                    options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                }
                using (var file = new FileStream(path, options))
                using (var writer = new StreamWriter(file))
                {
                    writer.WriteLine(Prefix + Convert.ToBase64String(created.Key));
                }
                return created;
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another process made it first: use theirs.
            }
        }
        var text = File.ReadAllText(path).Trim();
        byte[] key;
        try
        {
            key = text.StartsWith(Prefix, StringComparison.Ordinal) ? Convert.FromBase64String(text[Prefix.Length..]) : [];
        }
        catch (FormatException)
        {
            key = [];
        }
        return key.Length == KeyBytes
            ? new EncryptionKey(key)
            : throw new InvalidDataException($"the encryption key file \"{path}\" does not hold a key (\"{Prefix}\" and {KeyBytes} bytes in base64)");
    }
}
