using ImageStreams.Distribution.Repositories;
using ImageStreams.Registry.References;

namespace ImageStreams.Distribution.Storage;

/// <summary>
/// Where the registry keeps things under its root: <c>blobs/&lt;alg&gt;/&lt;hex[:2]&gt;/&lt;hex&gt;</c> (content, shared by every
/// repository), <c>repositories/&lt;ns&gt;/&lt;stream&gt;/{blobs,manifests,referrers}/&lt;alg&gt;/...</c> (what each repository holds),
/// <c>uploads/&lt;id&gt;/</c> and <c>tmp/</c>. Parts come from validated names, digests and ids only; every path is also
/// checked to stay under the root.
/// </summary>
internal sealed class StorageLayout
{
    public StorageLayout(string root)
    {
        Root = Path.GetFullPath(root);
    }

    public string Root { get; }

    public string Blob(Digest digest) => Inside("blobs", digest.Algorithm, digest.Hex[..2], digest.Hex);

    public string BlobLink(RepositoryName repository, Digest digest) =>
        Inside("repositories", repository.Namespace, repository.Stream, "blobs", digest.Algorithm, digest.Hex);

    public string ManifestLink(RepositoryName repository, Digest digest) =>
        Inside("repositories", repository.Namespace, repository.Stream, "manifests", digest.Algorithm, digest.Hex);

    public string Referrers(RepositoryName repository, Digest subject) =>
        Inside("repositories", repository.Namespace, repository.Stream, "referrers", subject.Algorithm, subject.Hex);

    public string Referrer(RepositoryName repository, Digest subject, Digest referrer) =>
        Inside("repositories", repository.Namespace, repository.Stream, "referrers", subject.Algorithm, subject.Hex, $"{referrer.Algorithm}-{referrer.Hex}");

    public string Uploads => Inside("uploads");

    /// <param name="id">An id made by <see cref="UploadSessions"/>: 32 lowercase hex characters.</param>
    public string Upload(string id) => Inside("uploads", id);

    public string Temp => Inside("tmp");

    /// <summary>A fresh name in <see cref="Temp"/>, for content that becomes visible by rename once complete.</summary>
    public string NewTempFile() => Inside("tmp", Guid.NewGuid().ToString("N"));

    private string Inside(params string[] parts)
    {
        var path = Path.GetFullPath(Path.Combine([Root, .. parts]));
        return path.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            ? path
            : throw new InvalidOperationException($"the storage path \"{path}\" is outside \"{Root}\"");
    }
}
