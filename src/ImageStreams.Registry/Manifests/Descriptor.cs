using ImageStreams.Registry.References;

namespace ImageStreams.Registry.Manifests;

/// <summary>A content descriptor (OCI image spec "descriptor"): what a manifest says about a blob or a child manifest.</summary>
public sealed record Descriptor(string MediaType, Digest Digest, long Size)
{
    /// <summary>The platform of a child manifest in a list; null elsewhere.</summary>
    public Platform? Platform { get; init; }

    public IReadOnlyDictionary<string, string>? Annotations { get; init; }
}
