using ImageStreams.Registry.Manifests;

namespace ImageStreams.Registry.Inspection;

/// <summary>Settings of the inspector.</summary>
public sealed class ImageInspectorOptions
{
    /// <summary>The platform a Legacy import picks when the tag prefers none (before linux/amd64). Default none.</summary>
    public Platform? DefaultPlatform { get; set; }
}
