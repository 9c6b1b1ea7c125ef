using ImageStreams.Registry.Client;
using ImageStreams.Registry.Manifests;
using ImageStreams.Registry.References;

namespace ImageStreams.Registry.Inspection;

/// <summary>The facade importers use: what a reference points at, as the images OpenShift would record.</summary>
public interface IImageInspector
{
    /// <summary>Fetches the manifest (and config, and list children as the mode needs) and builds the images.</summary>
    Task<ImageInspection> InspectAsync(ImageInspectionRequest request, CancellationToken cancellationToken = default);

    /// <summary>The current digest of what <paramref name="reference"/> points at, in one HEAD request (the scheduled check).</summary>
    Task<Descriptor> HeadAsync(ImageReference reference, RegistryAccess access, CancellationToken cancellationToken = default);

    /// <summary>Every tag of the reference's repository (repository imports).</summary>
    Task<IReadOnlyList<string>> ListTagsAsync(ImageReference repository, RegistryAccess access, CancellationToken cancellationToken = default);
}
