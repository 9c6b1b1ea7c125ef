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

/// <summary>Manifests: distribution spec "Pulling manifests", "Checking if content exists" and "Pushing Manifests".</summary>
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

    /// <summary>
    /// Stores a manifest under the reference's tag (or digest): distribution spec "Pushing Manifests". Its blobs must be in
    /// the repository already. Returns its descriptor; the registry's Docker-Content-Digest is checked against the bytes.
    /// </summary>
    Task<Descriptor> PutAsync(ImageReference reference, string mediaType, ReadOnlyMemory<byte> content, RegistryAccess access, CancellationToken cancellationToken = default);
}

/// <summary>Blobs: distribution spec "Pulling blobs", read into memory (image configs) or streamed (layers), and "Pushing blobs".</summary>
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

    /// <summary>
    /// Uploads a blob in one request (distribution spec "Pushing a blob monolithically": POST, then PUT <c>?digest=</c>).
    /// <paramref name="open"/> is called for each attempt, so a retry sends the bytes again.
    /// </summary>
    Task<Descriptor> UploadAsync(ImageReference repository, Descriptor blob, Func<Stream> open, RegistryAccess access, CancellationToken cancellationToken = default);

    /// <summary>
    /// Uploads a blob read once from <paramref name="content"/> in chunks of <paramref name="chunkSize"/> bytes
    /// (distribution spec "Pushing a blob in chunks": POST, PATCH with Content-Range per chunk, PUT <c>?digest=</c>);
    /// only one chunk is held in memory, so a blob streamed from another registry is copied without a temporary file.
    /// </summary>
    Task<Descriptor> UploadChunkedAsync(ImageReference repository, Descriptor blob, Stream content, int chunkSize, RegistryAccess access, CancellationToken cancellationToken = default);

    /// <summary>
    /// Mounts a blob of <paramref name="from"/> (same registry) into <paramref name="repository"/> without moving its bytes
    /// (distribution spec "Mounting a blob from another repository"). False when the registry could not mount it
    /// (it lacks the blob or the access), in which case the caller uploads it.
    /// </summary>
    Task<bool> MountAsync(ImageReference repository, Digest digest, ImageReference from, RegistryAccess access, CancellationToken cancellationToken = default);
}

/// <summary>Tags: distribution spec "Listing tags".</summary>
public interface ITagOperations
{
    /// <summary>Every tag of the repository, following Link pagination, in the registry's order.</summary>
    Task<IReadOnlyList<string>> ListAsync(ImageReference repository, RegistryAccess access, CancellationToken cancellationToken = default);
}
