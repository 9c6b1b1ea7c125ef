using ImageStreams.Registry.Client;
using ImageStreams.Registry.Manifests;
using ImageStreams.Registry.References;
using ModelImage = ImageStreams.Model.Image.Image;

namespace ImageStreams.Registry.Inspection;

/// <summary>How a tag that points at a manifest list is imported (OpenShift's importPolicy.importMode).</summary>
public enum ImportMode
{
    /// <summary>One child is chosen by platform and recorded as the tag's image.</summary>
    Legacy,

    /// <summary>The list itself is the tag's image; every child becomes an image too.</summary>
    PreserveOriginal,
}

/// <summary>What to inspect and how.</summary>
public sealed record ImageInspectionRequest(ImageReference Reference)
{
    /// <summary>The insecure flag and credentials for the registry.</summary>
    public RegistryAccess Access { get; init; } = RegistryAccess.Anonymous;

    public ImportMode ImportMode { get; init; } = ImportMode.Legacy;

    /// <summary>The platform a Legacy import prefers (the tag's prefer-arch/prefer-os annotations); see <see cref="PlatformSelector.Preferred"/>.</summary>
    public Platform? PreferredPlatform { get; init; }

    /// <summary>Put the raw manifest into each image's dockerImageManifest (ImageStreamImport includeManifest).</summary>
    public bool IncludeManifest { get; init; }
}

/// <summary>What an import records for one reference.</summary>
public sealed record ImageInspection
{
    /// <summary>The reference as requested.</summary>
    public required ImageReference Reference { get; init; }

    /// <summary>
    /// The manifest the reference points at (for a list, the list): its digest is what
    /// <see cref="IImageInspector.HeadAsync"/> returns while the tag has not moved.
    /// </summary>
    public required Descriptor Manifest { get; init; }

    /// <summary>The tag's image: for a Legacy list, the chosen child; otherwise the manifest's own image.</summary>
    public required ModelImage Image { get; init; }

    /// <summary>Every image to store: the tag's image first, then (PreserveOriginal) each child of the list.</summary>
    public required IReadOnlyList<ModelImage> Images { get; init; }

    /// <summary>For a Legacy list: the platform of the chosen child.</summary>
    public Platform? Platform { get; init; }

    /// <summary>The digest of <see cref="Image"/>, which the tag event records.</summary>
    public Digest ImageDigest => Digest.Parse(Image.Metadata.Name!);
}
