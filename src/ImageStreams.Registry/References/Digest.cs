using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace ImageStreams.Registry.References;

/// <summary>
/// A content digest, <c>algorithm:hex</c>, as the OCI image spec defines it ("Digests" section).
/// Only the registered algorithms are accepted, so every digest can also be verified.
/// </summary>
public sealed record Digest
{
    public const string Sha256 = "sha256";
    public const string Sha384 = "sha384";
    public const string Sha512 = "sha512";

    private Digest(string algorithm, string hex)
    {
        Algorithm = algorithm;
        Hex = hex;
    }

    public string Algorithm { get; }

    /// <summary>The encoded part: lowercase hexadecimal.</summary>
    public string Hex { get; }

    public static Digest Parse(string value) =>
        TryParse(value, out var digest, out var error) ? digest : throw new FormatException(error);

    public static bool TryParse([NotNullWhen(true)] string? value, [NotNullWhen(true)] out Digest? digest) =>
        TryParse(value, out digest, out _);

    public static bool TryParse(
        [NotNullWhen(true)] string? value,
        [NotNullWhen(true)] out Digest? digest,
        [NotNullWhen(false)] out string? error)
    {
        digest = null;
        if (string.IsNullOrEmpty(value))
        {
            error = "invalid digest: empty";
            return false;
        }
        var colon = value.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            error = $"invalid digest \"{value}\": expected algorithm:hex";
            return false;
        }
        var algorithm = value[..colon];
        var hex = value[(colon + 1)..];
        var length = HexLength(algorithm);
        if (length == 0)
        {
            error = $"invalid digest \"{value}\": unsupported algorithm \"{algorithm}\"";
            return false;
        }
        if (hex.Length != length || !hex.All(char.IsAsciiHexDigitLower))
        {
            error = $"invalid digest \"{value}\": {algorithm} needs {length} lowercase hexadecimal characters";
            return false;
        }
        digest = new Digest(algorithm, hex);
        error = null;
        return true;
    }

    /// <summary>The sha256 digest of <paramref name="content"/>, the algorithm registries use.</summary>
    public static Digest Compute(ReadOnlySpan<byte> content) => Compute(Sha256, content);

    public static Digest Compute(string algorithm, ReadOnlySpan<byte> content)
    {
        var hash = algorithm switch
        {
            Sha256 => SHA256.HashData(content),
            Sha384 => SHA384.HashData(content),
            Sha512 => SHA512.HashData(content),
            _ => throw new ArgumentException($"unsupported digest algorithm \"{algorithm}\"", nameof(algorithm)),
        };
        return new Digest(algorithm, Convert.ToHexStringLower(hash));
    }

    /// <summary>Whether <paramref name="content"/> hashes to this digest with this digest's algorithm.</summary>
    public bool Matches(ReadOnlySpan<byte> content) => Compute(Algorithm, content) == this;

    public override string ToString() => $"{Algorithm}:{Hex}";

    private static int HexLength(string algorithm) => algorithm switch
    {
        Sha256 => 64,
        Sha384 => 96,
        Sha512 => 128,
        _ => 0,
    };
}
