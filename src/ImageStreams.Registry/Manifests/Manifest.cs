using ImageStreams.Registry.References;

namespace ImageStreams.Registry.Manifests;

/// <summary>A manifest as fetched: its bytes, media type and verified digest, plus the parsed content.</summary>
public abstract record Manifest
{
    public required string MediaType { get; init; }

    /// <summary>The digest the registry names this manifest by (for signed schema 1, that of the unsigned payload).</summary>
    public required Digest Digest { get; init; }

    /// <summary>The exact bytes the registry returned.</summary>
    public required ReadOnlyMemory<byte> Content { get; init; }

    public long Size => Content.Length;

    public Descriptor Descriptor => new(MediaType, Digest, Size);
}

/// <summary>An image manifest with a config blob and layers: OCI image manifest or Docker schema 2.</summary>
public sealed record Schema2Manifest : Manifest
{
    public required Descriptor Config { get; init; }

    /// <summary>The layers, base first.</summary>
    public required IReadOnlyList<Descriptor> Layers { get; init; }

    public IReadOnlyDictionary<string, string>? Annotations { get; init; }
}

/// <summary>A list of per-platform manifests: OCI image index or Docker manifest list.</summary>
public sealed record ManifestList : Manifest
{
    public required IReadOnlyList<Descriptor> Manifests { get; init; }

    public IReadOnlyDictionary<string, string>? Annotations { get; init; }
}

/// <summary>A Docker schema 1 manifest (old images): no config blob; metadata lives in the v1 history.</summary>
public sealed record Schema1Manifest : Manifest
{
    public string? Name { get; init; }

    public string? Tag { get; init; }

    public string? Architecture { get; init; }

    /// <summary>Layer digests as the manifest lists them: newest first.</summary>
    public required IReadOnlyList<Digest> FsLayers { get; init; }

    /// <summary>The v1Compatibility JSON documents, newest first (index 0 describes the image).</summary>
    public required IReadOnlyList<string> History { get; init; }
}
