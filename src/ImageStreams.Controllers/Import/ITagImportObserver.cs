namespace ImageStreams.Controllers.Import;

/// <summary>A tag an import has just brought up to date.</summary>
/// <param name="ManifestDigest">
/// The manifest the source names (for a manifest list, the list): what a HEAD of the source answers while it has not moved.
/// </param>
/// <param name="ImageDigest">The image the tag records (for a Legacy import of a list, the chosen child).</param>
/// <param name="Scheduled">Whether the tag's import policy is scheduled.</param>
public sealed record TagImport(string Namespace, string Stream, string Tag, string ManifestDigest, string ImageDigest, bool Scheduled);

/// <summary>
/// Told of every tag an import brought up to date, once the stream is written. The scheduled import uses it to push back
/// the tag's next check after an import on demand, and to learn the manifest digest a later HEAD is compared with.
/// </summary>
public interface ITagImportObserver
{
    void TagImported(TagImport import);
}
