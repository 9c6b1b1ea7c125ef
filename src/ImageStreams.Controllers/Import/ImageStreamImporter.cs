using ImageStreams.Model.Image;
using ImageStreams.Model.Meta;
using ImageStreams.Model.Serialization;
using ImageStreams.Model.Validation;
using ImageStreams.Registry.Auth;
using ImageStreams.Registry.Client;
using ImageStreams.Registry.Errors;
using ImageStreams.Registry.Inspection;
using ImageStreams.Registry.Manifests;
using ImageStreams.Registry.References;
using ImageStreams.Resources;
using ModelImage = ImageStreams.Model.Image.Image;

namespace ImageStreams.Controllers.Import;

/// <summary>
/// Carries out an ImageStreamImport: inspects every requested image in its registry, stores the images, and
/// records the results in the stream by the history rules of <see cref="TagHistory"/>. A stream whose tags did
/// not change is not written at all, so repeated imports of unchanged tags cost no write.
/// </summary>
public sealed class ImageStreamImporter
{
    private readonly ResourceSet resources;
    private readonly IImageInspector inspector;
    private readonly ImportOptions options;
    private readonly TimeProvider time;
    private readonly PullSecrets pullSecrets;
    private readonly ITagImportObserver[] observers;

    public ImageStreamImporter(
        ResourceSet resources, IImageInspector inspector, ImportOptions options, TimeProvider time, IEnumerable<ITagImportObserver>? observers = null)
    {
        options.Validate();
        this.resources = resources;
        this.inspector = inspector;
        this.options = options;
        this.time = time;
        this.observers = observers?.ToArray() ?? [];
        pullSecrets = new PullSecrets(resources.Secrets);
    }

    /// <summary>Imports what <paramref name="request"/> asks for into stream <c>request.metadata.name</c> of <paramref name="ns"/>.</summary>
    public async Task<ImageStreamImport> ImportAsync(string ns, ImageStreamImport request, CancellationToken cancellationToken = default)
    {
        request = request with { Metadata = request.Metadata with { Namespace = ns } };
        Validate(request);
        await resources.Namespaces.GetAsync(null, ns, cancellationToken).ConfigureAwait(false);
        var name = request.Metadata.Name!;
        var stream = await resources.ImageStreams.FindAsync(ns, name, cancellationToken).ConfigureAwait(false);
        var credentials = await pullSecrets.ForNamespaceAsync(ns, cancellationToken).ConfigureAwait(false);
        var streamInsecure = stream?.Metadata.Annotation(ImageApi.InsecureRepositoryAnnotation) == "true";

        using var gate = new SemaphoreSlim(options.MaxConcurrentImages);
        var specs = request.Spec.Images ?? [];
        var imageResults = await Task.WhenAll(specs.Select(spec => ImportOneAsync(
            new ImportItem(spec.From.Name!, spec.To?.Name, spec.ImportPolicy, spec.ReferencePolicy, spec.IncludeManifest),
            stream, streamInsecure, credentials, gate, cancellationToken))).ConfigureAwait(false);

        RepositoryResult? repository = null;
        if (request.Spec.Repository is { } repositorySpec)
        {
            repository = await ImportRepositoryAsync(repositorySpec, stream, streamInsecure, credentials, gate, cancellationToken).ConfigureAwait(false);
        }

        var results = imageResults.Concat(repository?.Results ?? []).ToList();
        var status = new ImageStreamImportStatus
        {
            Images = specs.Count == 0 ? null : imageResults.Select(r => r.Status).ToList(),
            Repository = repository?.Status,
        };
        var now = time.GetUtcNow();
        if (!request.Spec.Import)
        {
            // A dry run shows the stream as the import would leave it, and writes nothing.
            var preview = Apply(stream ?? NewStream(ns, name), results, now);
            return request with { Status = status with { Import = preview } };
        }

        var stored = await StoreImagesAsync(results, cancellationToken).ConfigureAwait(false);
        var updated = await WriteStreamAsync(ns, name, stream, results, now, cancellationToken).ConfigureAwait(false);
        Notify(ns, name, results);
        return request with
        {
            Status = status with
            {
                Import = updated,
                Images = status.Images?.Select(i => WithStoredMetadata(i, stored)).ToList(),
                Repository = status.Repository is { } r ? r with { Images = r.Images?.Select(i => WithStoredMetadata(i, stored)).ToList() } : null,
            },
        };
    }

    private void Notify(string ns, string name, IEnumerable<ImportResult> results)
    {
        foreach (var result in results)
        {
            if (result is { Item.Tag: { } tag, ManifestDigest: { } manifest, Status.Image.Metadata.Name: { } image } && result.Status.Status.State != Status.Failure)
            {
                foreach (var observer in observers)
                {
                    observer.TagImported(new TagImport(ns, name, tag, manifest, image, result.Item.ImportPolicy.Scheduled));
                }
            }
        }
    }

    private static void Validate(ImageStreamImport request)
    {
        var errors = new List<FieldError>(Names.ValidateSubdomainName(request.Metadata.Name));
        var images = request.Spec.Images ?? [];
        if (images.Count == 0 && request.Spec.Repository is null)
        {
            errors.Add(FieldError.MissingValue("spec", "an import needs spec.images or spec.repository"));
        }
        for (var i = 0; i < images.Count; i++)
        {
            ValidateSource(images[i].From, $"spec.images[{i}].from", errors);
            if (images[i].To?.Name is { } to)
            {
                errors.AddRange(Names.ValidateTagName(to, $"spec.images[{i}].to.name"));
            }
            ValidatePolicy(images[i].ImportPolicy, $"spec.images[{i}].importPolicy", errors);
        }
        if (request.Spec.Repository is { } repository)
        {
            ValidateSource(repository.From, "spec.repository.from", errors);
            ValidatePolicy(repository.ImportPolicy, "spec.repository.importPolicy", errors);
        }
        var duplicates = images.Select(i => i.To?.Name).Where(n => n is not null).GroupBy(n => n).Where(g => g.Count() > 1);
        foreach (var duplicate in duplicates)
        {
            errors.Add(new FieldError("spec.images", FieldError.Duplicate, "", duplicate.Key));
        }
        if (errors.Count > 0)
        {
            throw ApiErrors.Invalid(ImageStreamImport.KindName, ImageApi.Group, request.Metadata.Name ?? "", errors);
        }
    }

    private static void ValidateSource(ObjectReference from, string field, List<FieldError> errors)
    {
        if (from.Kind != SourceKinds.DockerImage)
        {
            errors.Add(new FieldError($"{field}.kind", FieldError.NotSupported, "supported values: \"DockerImage\"", from.Kind ?? ""));
        }
        else if (string.IsNullOrWhiteSpace(from.Name))
        {
            errors.Add(FieldError.MissingValue($"{field}.name"));
        }
        else if (!ImageReference.TryParse(from.Name, out _))
        {
            errors.Add(FieldError.Invalid($"{field}.name", from.Name, "not a valid image reference (registry/repository[:tag][@digest])"));
        }
    }

    private static void ValidatePolicy(TagImportPolicy policy, string field, List<FieldError> errors)
    {
        if (policy.ImportMode is not (null or "" or ImportModes.Legacy or ImportModes.PreserveOriginal))
        {
            errors.Add(new FieldError($"{field}.importMode", FieldError.NotSupported,
                "supported values: \"Legacy\", \"PreserveOriginal\"", policy.ImportMode));
        }
    }

    private async Task<RepositoryResult> ImportRepositoryAsync(
        RepositoryImportSpec spec, ImageStream? stream, bool streamInsecure, ICredentialProvider credentials, SemaphoreSlim gate,
        CancellationToken cancellationToken)
    {
        var repository = ImageReference.Parse(spec.From.Name!);
        IReadOnlyList<string> tags;
        try
        {
            var access = Access(spec.ImportPolicy, streamInsecure, credentials);
            tags = TagOrdering.Prioritize((await inspector.ListTagsAsync(repository, access, cancellationToken).ConfigureAwait(false))
                .Select(t => t.Length == 0 ? ImageReference.DefaultTag : t));
        }
        catch (RegistryException e)
        {
            return new RepositoryResult([], new RepositoryImportStatus { Status = e.ToStatus() });
        }

        var limit = options.MaxRepositoryTags < 0 ? tags.Count : Math.Min(options.MaxRepositoryTags, tags.Count);
        var results = await Task.WhenAll(tags.Take(limit).Select(tag => ImportOneAsync(
            new ImportItem(repository.WithTag(tag).Exact(), tag, spec.ImportPolicy, spec.ReferencePolicy, spec.IncludeManifest),
            stream, streamInsecure, credentials, gate, cancellationToken))).ConfigureAwait(false);
        return new RepositoryResult(results, new RepositoryImportStatus
        {
            Status = new Status { State = Status.Success, Code = 200 },
            Images = results.Select(r => r.Status).ToList(),
            AdditionalTags = limit < tags.Count ? tags.Skip(limit).ToList() : null,
        });
    }

    private async Task<ImportResult> ImportOneAsync(
        ImportItem item, ImageStream? stream, bool streamInsecure, ICredentialProvider credentials, SemaphoreSlim gate,
        CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var reference = ImageReference.Parse(item.From);
            var annotations = item.Tag is null ? null : stream?.SpecTag(item.Tag)?.Annotations;
            var inspection = await inspector.InspectAsync(new ImageInspectionRequest(reference)
            {
                Access = Access(item.ImportPolicy, streamInsecure, credentials),
                ImportMode = item.ImportPolicy.ImportMode == ImportModes.PreserveOriginal ? ImportMode.PreserveOriginal : ImportMode.Legacy,
                PreferredPlatform = PlatformSelector.Preferred(
                    annotations?.GetValueOrDefault(ImageApi.PreferArchAnnotation),
                    annotations?.GetValueOrDefault(ImageApi.PreferOsAnnotation)),
                IncludeManifest = item.IncludeManifest,
            }, cancellationToken).ConfigureAwait(false);
            var status = new ImageImportStatus
            {
                Status = new Status { State = Status.Success, Code = 200 },
                Image = inspection.Image,
                Tag = item.Tag,
                Manifests = inspection.Images.Count > 1 ? inspection.Images.Skip(1).ToList() : null,
            };
            return new ImportResult(item, status, inspection.Images) { ManifestDigest = inspection.Manifest.Digest.ToString() };
        }
        catch (RegistryException e)
        {
            return new ImportResult(item, new ImageImportStatus { Status = e.ToStatus(), Tag = item.Tag }, []);
        }
        finally
        {
            gate.Release();
        }
    }

    private static RegistryAccess Access(TagImportPolicy policy, bool streamInsecure, ICredentialProvider credentials) =>
        new() { Insecure = policy.Insecure || streamInsecure, Credentials = credentials };

    /// <summary>Stores every image not yet known; returns the stored metadata (uid, creation time) of each, by name.</summary>
    private async Task<Dictionary<string, ObjectMeta>> StoreImagesAsync(IEnumerable<ImportResult> results, CancellationToken cancellationToken)
    {
        var stored = new Dictionary<string, ObjectMeta>();
        foreach (var image in results.SelectMany(r => r.Images).DistinctBy(i => i.Metadata.Name))
        {
            var existing = await resources.Images.FindAsync(null, image.Metadata.Name!, cancellationToken).ConfigureAwait(false);
            if (existing is null)
            {
                try
                {
                    existing = await resources.Images.CreateAsync(null, image with { DockerImageManifest = null }, cancellationToken: cancellationToken).ConfigureAwait(false);
                }
                catch (ApiException e) when (e.Reason == StatusReasons.AlreadyExists)
                {
                    existing = await resources.Images.GetAsync(null, image.Metadata.Name!, cancellationToken).ConfigureAwait(false);
                }
            }
            stored[image.Metadata.Name!] = existing.Metadata;
        }
        return stored;
    }

    private static ImageImportStatus WithStoredMetadata(ImageImportStatus status, Dictionary<string, ObjectMeta> stored) =>
        status.Image?.Metadata.Name is { } name && stored.TryGetValue(name, out var metadata)
            ? status with { Image = status.Image with { Metadata = metadata } }
            : status;

    private async Task<ImageStream> WriteStreamAsync(
        string ns, string name, ImageStream? stream, IReadOnlyList<ImportResult> results, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (stream is null)
        {
            try
            {
                var created = Apply(NewStream(ns, name), results, now);
                return await resources.ImageStreams.CreateAsync(ns, created, new WriteOptions(WriteScope.All), cancellationToken).ConfigureAwait(false);
            }
            catch (ApiException e) when (e.Reason == StatusReasons.AlreadyExists)
            {
                // Created meanwhile by someone else: import into it like into any existing stream.
            }
        }
        return await resources.ImageStreams.GuaranteedUpdateAsync(
            ns, name, current => Apply(current, results, now), WriteScope.All, cancellationToken).ConfigureAwait(false);
    }

    private static ImageStream NewStream(string ns, string name) =>
        new() { Metadata = new ObjectMeta { Name = name, Namespace = ns } };

    /// <summary>
    /// The stream with the results recorded: spec tags point at their sources, successes add tag events and clear
    /// conditions, failures set the ImportSuccess condition. Returns <paramref name="stream"/> itself when nothing changed.
    /// Events and conditions carry the generation the stream has once this write is stored (one more when the spec
    /// changes), so every spec generation a tag asks for is answered, including a reset to 0 right after an import.
    /// </summary>
    internal static ImageStream Apply(ImageStream stream, IReadOnlyList<ImportResult> results, DateTimeOffset now)
    {
        var tagged = results.Where(r => r.Item.Tag is not null).ToList();
        var updated = stream;
        var changedTags = new HashSet<string>();
        foreach (var result in tagged)
        {
            var tag = result.Item.Tag!;
            var before = updated.SpecTag(tag);
            var specTag = (before ?? new TagReference { Name = tag }) with
            {
                From = new ObjectReference { Kind = SourceKinds.DockerImage, Name = result.Item.From },
                ImportPolicy = result.Item.ImportPolicy,
                ReferencePolicy = result.Item.ReferencePolicy,
            };
            if (before is null || !SameSpec(before, specTag))
            {
                updated = WithSpecTag(updated, specTag);
                changedTags.Add(tag);
            }
        }
        var generation = stream.Metadata.Generation + (changedTags.Count > 0 ? 1 : 0);

        foreach (var result in tagged)
        {
            var tag = result.Item.Tag!;
            var image = result.Status.Image;
            if (image is null || result.Status.Status.State == Status.Failure)
            {
                updated = TagHistory.SetCondition(updated, tag, new TagEventCondition
                {
                    Type = TagEventConditionTypes.ImportSuccess,
                    Status = "False",
                    Reason = result.Status.Status.Reason,
                    Message = result.Status.Status.Message,
                    Generation = generation,
                    LastTransitionTime = now,
                });
                continue;
            }

            var tagEvent = new TagEvent
            {
                Created = now,
                DockerImageReference = image.DockerImageReference ?? "",
                Image = image.Metadata.Name ?? "",
                Generation = generation,
            };
            var latest = TagHistory.Latest(updated, tag);
            var unchanged = latest is not null && latest.Image == tagEvent.Image &&
                            latest.DockerImageReference == tagEvent.DockerImageReference &&
                            !changedTags.Contains(tag) && !TagHistory.NeedsImport(stream, stream.SpecTag(tag)!);
            if (!unchanged)
            {
                updated = TagHistory.AddTagEvent(updated, tag, tagEvent);
            }
            updated = TagHistory.ClearConditions(updated, tag);
        }
        if (ReferenceEquals(updated, stream))
        {
            return stream;
        }
        return updated with
        {
            Metadata = updated.Metadata.WithAnnotation(ImageApi.DockerRepositoryCheckAnnotation, ResourceJson.FormatTime(now)),
        };
    }

    private static bool SameSpec(TagReference a, TagReference b) =>
        a.From?.Kind == b.From?.Kind && a.From?.Name == b.From?.Name && a.From?.Namespace == b.From?.Namespace &&
        a.ImportPolicy == b.ImportPolicy && a.ReferencePolicy == b.ReferencePolicy;

    private static ImageStream WithSpecTag(ImageStream stream, TagReference tag)
    {
        var tags = stream.Spec.Tags ?? [];
        var replaced = tags.Any(t => t.Name == tag.Name)
            ? tags.Select(t => t.Name == tag.Name ? tag : t).ToList()
            : [.. tags, tag];
        return stream with { Spec = stream.Spec with { Tags = replaced } };
    }

    internal sealed record ImportItem(
        string From, string? Tag, TagImportPolicy ImportPolicy, TagReferencePolicy ReferencePolicy, bool IncludeManifest);

    internal sealed record ImportResult(ImportItem Item, ImageImportStatus Status, IReadOnlyList<ModelImage> Images)
    {
        /// <summary>The digest of the manifest the source names (for a list, the list's); null when the import failed.</summary>
        public string? ManifestDigest { get; init; }
    }

    private sealed record RepositoryResult(IReadOnlyList<ImportResult> Results, RepositoryImportStatus Status);
}
