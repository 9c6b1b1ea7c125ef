using ImageStreams.Distribution.Repositories;
using ImageStreams.Registry.References;

namespace ImageStreams.Distribution.Storage;

/// <summary>
/// What each repository holds: a blob or manifest of the shared store is part of a repository only once linked into it,
/// so a digest known in one namespace reveals nothing in another. A blob link is an empty file; a manifest link holds
/// the media type the manifest was pushed or fetched with. Links never hold content, so removing one corrupts nothing.
/// </summary>
internal sealed class RepositoryLinks(StorageLayout layout)
{
    public bool HasBlob(RepositoryName repository, Digest digest) => File.Exists(layout.BlobLink(repository, digest));

    public void LinkBlob(RepositoryName repository, Digest digest)
    {
        var path = layout.BlobLink(repository, digest);
        if (File.Exists(path))
        {
            return;
        }
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, []);
    }

    public bool UnlinkBlob(RepositoryName repository, Digest digest) => Delete(layout.BlobLink(repository, digest));

    /// <summary>The media type of a manifest of the repository; null when the repository has no such manifest.</summary>
    public string? ManifestMediaType(RepositoryName repository, Digest digest)
    {
        try
        {
            var mediaType = File.ReadAllText(layout.ManifestLink(repository, digest));
            return mediaType.Length > 0 ? mediaType : null;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Links a stored manifest; written to a temporary file and renamed, so a reader never sees an empty link.</summary>
    public void LinkManifest(RepositoryName repository, Digest digest, string mediaType)
    {
        var path = layout.ManifestLink(repository, digest);
        if (ManifestMediaType(repository, digest) == mediaType)
        {
            return;
        }
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = layout.NewTempFile();
        File.WriteAllText(temp, mediaType);
        File.Move(temp, path, overwrite: true);
    }

    public bool UnlinkManifest(RepositoryName repository, Digest digest) => Delete(layout.ManifestLink(repository, digest));

    private static bool Delete(string path)
    {
        if (!File.Exists(path))
        {
            return false;
        }
        File.Delete(path);
        return true;
    }
}
