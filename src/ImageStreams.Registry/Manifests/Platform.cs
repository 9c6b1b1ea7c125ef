namespace ImageStreams.Registry.Manifests;

/// <summary>The platform of an image in a manifest list: <c>os/architecture[/variant]</c>.</summary>
public sealed record Platform(string Os, string Architecture, string? Variant = null)
{
    public static Platform LinuxAmd64 { get; } = new("linux", "amd64");

    /// <summary>Parses <c>os/arch[/variant]</c>, e.g. <c>linux/arm64/v8</c>.</summary>
    public static Platform Parse(string value)
    {
        var parts = value.Split('/');
        if (parts.Length is < 2 or > 3 || parts.Any(string.IsNullOrWhiteSpace))
        {
            throw new FormatException($"invalid platform \"{value}\": expected os/architecture[/variant]");
        }
        return new Platform(parts[0], parts[1], parts.Length == 3 ? parts[2] : null);
    }

    /// <summary>Whether an image of this platform satisfies <paramref name="wanted"/> (a variant is only compared when wanted names one).</summary>
    public bool Satisfies(Platform wanted) =>
        string.Equals(Os, wanted.Os, StringComparison.OrdinalIgnoreCase)
        && string.Equals(Architecture, wanted.Architecture, StringComparison.OrdinalIgnoreCase)
        && (wanted.Variant is null || string.Equals(Variant, wanted.Variant, StringComparison.OrdinalIgnoreCase));

    public override string ToString() => Variant is null ? $"{Os}/{Architecture}" : $"{Os}/{Architecture}/{Variant}";
}
