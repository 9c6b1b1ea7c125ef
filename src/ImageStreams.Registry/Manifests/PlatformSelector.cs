namespace ImageStreams.Registry.Manifests;

/// <summary>
/// Picks the child of a manifest list that a Legacy import records, in OpenShift's order: the preferred
/// platform (tag annotations), then the configured default, then linux/amd64, then the first child.
/// Unlike OpenShift, the server's own architecture plays no part, so the result is the same on every host.
/// </summary>
public static class PlatformSelector
{
    /// <summary>The platform children of tools like BuildKit carry for attestations, never an image to run.</summary>
    private const string Unknown = "unknown";

    public static Descriptor Select(IReadOnlyList<Descriptor> children, Platform? preferred, Platform? configuredDefault)
    {
        if (children.Count == 0)
        {
            throw new ArgumentException("the manifest list has no manifests", nameof(children));
        }
        foreach (var wanted in new[] { preferred, configuredDefault, Platform.LinuxAmd64 })
        {
            if (wanted is not null && children.FirstOrDefault(c => c.Platform?.Satisfies(wanted) == true) is { } match)
            {
                return match;
            }
        }
        return children.FirstOrDefault(c => c.Platform is { } p && p.Os != Unknown && p.Architecture != Unknown) ?? children[0];
    }

    /// <summary>
    /// The preferred platform from a tag's prefer-arch / prefer-os annotations: an architecture alone means that
    /// architecture on linux; an OS alone means that OS on amd64.
    /// </summary>
    public static Platform? Preferred(string? architecture, string? os)
    {
        if (string.IsNullOrWhiteSpace(architecture) && string.IsNullOrWhiteSpace(os))
        {
            return null;
        }
        var arch = string.IsNullOrWhiteSpace(architecture) ? Platform.LinuxAmd64.Architecture : architecture.Trim();
        var variant = default(string);
        var slash = arch.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0)
        {
            variant = arch[(slash + 1)..];
            arch = arch[..slash];
        }
        return new Platform(string.IsNullOrWhiteSpace(os) ? Platform.LinuxAmd64.Os : os.Trim(), arch, variant);
    }
}
