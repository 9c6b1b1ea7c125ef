using ImageStreams.Controllers.Streams;
using ImageStreams.Model.Image;
using ImageStreams.Model.Meta;
using ImageStreams.Resources;
using Microsoft.Extensions.Logging;

namespace ImageStreams.Controllers.Import;

/// <summary>
/// Imports spec tags that ask for it: a DockerImage tag, not reference-only, whose generation is newer than
/// anything its status has observed (a new or changed source, or a generation reset to 0). Applying a stream's
/// YAML is therefore enough to import it, as in OpenShift.
/// </summary>
public sealed class ImportController(
    ResourceSet resources, ImageStreamImporter importer, ImportOptions options, TimeProvider time, ILogger<ImportController> logger)
    : ImageStreamController(resources.ImageStreams, time, logger, options.Workers)
{
    protected override IEnumerable<string> KeysFor(string eventType, ImageStream stream) =>
        eventType != WatchEvent<ImageStream>.Deleted && PendingTags(stream).Any() ? [KeyOf(stream)] : [];

    protected override async Task SyncAsync(string key, CancellationToken cancellationToken)
    {
        var (ns, name) = SplitKey(key);
        var stream = await resources.ImageStreams.FindAsync(ns, name, cancellationToken).ConfigureAwait(false);
        if (stream is null)
        {
            return;
        }
        var pending = PendingTags(stream).ToList();
        if (pending.Count == 0)
        {
            return;
        }
        var request = new ImageStreamImport
        {
            Metadata = new ObjectMeta { Name = name, Namespace = ns },
            Spec = new ImageStreamImportSpec
            {
                Import = true,
                Images = pending.Select(t => new ImageImportSpec
                {
                    From = new ObjectReference { Kind = SourceKinds.DockerImage, Name = t.From!.Name },
                    To = new LocalObjectReference { Name = t.Name },
                    ImportPolicy = t.ImportPolicy,
                    ReferencePolicy = t.ReferencePolicy,
                }).ToList(),
            },
        };
        var result = await importer.ImportAsync(ns, request, cancellationToken).ConfigureAwait(false);
        var failed = result.Status?.Images?.Count(i => i.Status.State == Status.Failure) ?? 0;
        Logger.LogInformation("imported {Count} tag(s) of {Key}, {Failed} failed", pending.Count, key, failed);
    }

    private static IEnumerable<TagReference> PendingTags(ImageStream stream) =>
        (stream.Spec.Tags ?? []).Where(t => TagHistory.NeedsImport(stream, t) && !string.IsNullOrEmpty(t.From?.Name));
}
