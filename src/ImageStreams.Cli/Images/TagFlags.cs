using ImageStreams.Model.Image;

namespace ImageStreams.Cli.Images;

/// <summary>The flag values import-image and tag share, read as oc reads them (and forgiving of case).</summary>
internal static class TagFlags
{
    /// <summary>--reference-policy: source or local; null when not given.</summary>
    public static string? ReferencePolicy(string? flag) => flag?.ToLowerInvariant() switch
    {
        null => null,
        "source" => ReferencePolicyTypes.Source,
        "local" => ReferencePolicyTypes.Local,
        _ => throw new CliException("reference policy must be set to 'source' or 'local'"),
    };

    /// <summary>--import-mode: Legacy or PreserveOriginal; null when not given.</summary>
    public static string? ImportMode(string? flag) => flag?.ToLowerInvariant() switch
    {
        null => null,
        "legacy" => ImportModes.Legacy,
        "preserveoriginal" => ImportModes.PreserveOriginal,
        _ => throw new CliException("valid ImportMode values are Legacy or PreserveOriginal"),
    };
}
