using ImageStreams.Registry.Manifests;
using ImageStreams.Registry.References;

namespace ImageStreams.Registry.Client;

/// <summary>A registry client (OCI distribution spec), grouped by resource.</summary>
public interface IRegistryClient
{
    IManifestOperations Manifests { get; }

    IBlobOperations Blobs { get; }

    ITagOperations Tags { get; }
}

/// <summary>Manifests: distribution spec "Pulling manifests" and "Checking if content exists".</summary>
public interface IManifestOperations
{
    /// <summary>
    /// The descriptor of the manifest a reference names, from one HEAD request (Docker Hub does not count it
    /// as a pull). A digest reference is checked against the answer.
    /// </summary>
    Task<Descriptor> HeadAsync(ImageReference reference, RegistryAccess access, CancellationToken cancellationToken = default);

    /// <summary>
    /// The manifest a reference names, with its digest verified: against the reference's digest, else against
    /// the registry's Docker-Content-Digest header when sent.
    /// </summary>
    Task<Manifest> GetAsync(ImageReference reference, RegistryAccess access, CancellationToken cancellationToken = default);
}

/// <summary>Blobs: distribution spec "Pulling blobs", read into memory (image configs) or streamed (layers).</summary>
public interface IBlobOperations
{
    /// <summary>The size and media type of a blob, from one HEAD request.</summary>
    Task<Descriptor> HeadAsync(ImageReference repository, Digest digest, RegistryAccess access, CancellationToken cancellationToken = default);

    /// <summary>The bytes of a blob, verified against the descriptor's digest and size.</summary>
    Task<ReadOnlyMemory<byte>> GetAsync(ImageReference repository, Descriptor blob, RegistryAccess access, CancellationToken cancellationToken = default);

    /// <summary>
    /// Opens a blob to stream it, with no whole blob in memory. The content is verified as it is read: the read that
    /// reaches the end fails with <see cref="Errors.RegistryErrorReason.ContentIntegrity"/> when the bytes do not hash to
    /// <paramref name="digest"/> or their count is not the announced length, and a read that waits longer than the request
    /// timeout fails with <see cref="Errors.RegistryErrorReason.Timeout"/>. The caller disposes the result.
    /// </summary>
    Task<BlobContent> OpenAsync(ImageReference repository, Digest digest, RegistryAccess access, CancellationToken cancellationToken = default);
}

/// <summary>Tags: distribution spec "Listing tags".</summary>
public interface ITagOperations
{
    /// <summary>Every tag of the repository, following Link pagination, in the registry's order.</summary>
    Task<IReadOnlyList<string>> ListAsync(ImageReference repository, RegistryAccess access, CancellationToken cancellationToken = default);
}
