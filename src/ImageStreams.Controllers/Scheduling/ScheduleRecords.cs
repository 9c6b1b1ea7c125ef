using System.Text.Json;
using ImageStreams.Model.Meta;
using ImageStreams.Model.Serialization;
using ImageStreams.Store;

namespace ImageStreams.Controllers.Scheduling;

/// <summary>What the schedule keeps of a tag across restarts; only tags that need it have one.</summary>
/// <remarks>
/// A Legacy tag imported from a manifest list records the list digest and the child it gave: a HEAD answers the list's
/// digest, which the tag's history (the child) cannot tell. Without it, every restart would cost each such tag a full
/// import (four requests, and a "pull" on Docker Hub). A failing tag records its failures and retry time, so a restart
/// keeps its backoff.
/// </remarks>
internal sealed record TagRecord(string Namespace, string Stream, string Tag)
{
    public string? ManifestDigest { get; init; }

    /// <summary>The image <see cref="ManifestDigest"/> gave the tag.</summary>
    public string? ImageDigest { get; init; }

    public int ConsecutiveFailures { get; init; }

    public string? LastError { get; init; }

    public DateTimeOffset? NextRetry { get; init; }
}

internal readonly record struct RecordKey(string Namespace, string Stream, string Tag);

/// <summary>
/// Tag records in the object store, under a resource the API does not serve. Written only when a record changes (a list
/// moved, a failure, a recovery), never for a check that found its tag unchanged; deleted with their namespace.
/// </summary>
internal sealed class ScheduleRecords(IObjectStore store)
{
    public const string Resource = "tagschedules.scheduling.imagestreams.internal";

    public async Task<IReadOnlyList<TagRecord>> LoadAsync(CancellationToken cancellationToken)
    {
        var list = await store.ListAsync(Resource, null, cancellationToken).ConfigureAwait(false);
        var records = new List<TagRecord>(list.Items.Count);
        foreach (var item in list.Items)
        {
            try
            {
                records.Add(ResourceJson.FromNode<Document>(item.Object).ToRecord(item.Key.Namespace));
            }
            catch (JsonException)
            {
                // Unreadable: the tag starts over on its phase, as if it had no record.
            }
        }
        return records;
    }

    public async Task SaveAsync(TagRecord record, CancellationToken cancellationToken)
    {
        var key = KeyOf(new RecordKey(record.Namespace, record.Stream, record.Tag));
        var json = ResourceJson.ToNode(Document.Of(record));
        try
        {
            await store.UpdateAsync(key, json, expectedResourceVersion: null, cancellationToken).ConfigureAwait(false);
        }
        catch (StoreException e) when (e.Reason == StoreErrorReason.NotFound)
        {
            await store.CreateAsync(key, json, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task DeleteAsync(RecordKey key, CancellationToken cancellationToken)
    {
        try
        {
            await store.DeleteAsync(KeyOf(key), expectedResourceVersion: null, cancellationToken).ConfigureAwait(false);
        }
        catch (StoreException e) when (e.Reason == StoreErrorReason.NotFound)
        {
        }
    }

    // Stream and tag names cannot contain ':', so the pair is a unique object name.
    private static ObjectKey KeyOf(RecordKey key) => new(Resource, key.Namespace, $"{key.Stream}:{key.Tag}");

    private sealed record Document
    {
        public ObjectMeta Metadata { get; init; } = new();
        public string Stream { get; init; } = "";
        public string Tag { get; init; } = "";
        public string? ManifestDigest { get; init; }
        public string? ImageDigest { get; init; }
        public int ConsecutiveFailures { get; init; }
        public string? LastError { get; init; }
        public DateTimeOffset? NextRetry { get; init; }

        public static Document Of(TagRecord record) => new()
        {
            Metadata = new ObjectMeta { Name = $"{record.Stream}:{record.Tag}", Namespace = record.Namespace },
            Stream = record.Stream,
            Tag = record.Tag,
            ManifestDigest = record.ManifestDigest,
            ImageDigest = record.ImageDigest,
            ConsecutiveFailures = record.ConsecutiveFailures,
            LastError = record.LastError,
            NextRetry = record.NextRetry,
        };

        public TagRecord ToRecord(string ns) => new(ns, Stream, Tag)
        {
            ManifestDigest = ManifestDigest,
            ImageDigest = ImageDigest,
            ConsecutiveFailures = ConsecutiveFailures,
            LastError = LastError,
            NextRetry = NextRetry,
        };
    }
}
