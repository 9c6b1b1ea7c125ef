using System.Runtime.CompilerServices;
using ImageStreams.Model.Image;
using ImageStreams.Model.Meta;
using ImageStreams.Model.Validation;
using ImageStreams.Resources.Strategies;
using ImageModel = ImageStreams.Model.Image.Image;

namespace ImageStreams.Resources.Views;

/// <summary>
/// Image stream tags, <c>&lt;stream&gt;:&lt;tag&gt;</c>: a view of one tag of a stream (its spec tag, the image its newest
/// history item points at, its conditions). Writes go to the stream; create makes the stream when it is missing.
/// </summary>
internal sealed class ImageStreamTagView(IResourceClient<ImageStream> streams, IResourceClient<ImageModel> images) : IResourceClient<ImageStreamTag>
{
    public ResourceType Type => ResourceTypes.ImageStreamTags;

    public async ValueTask<ImageStreamTag> GetAsync(string? ns, string name, CancellationToken cancellationToken = default)
    {
        var (streamName, tag) = Split(name);
        var stream = await FindStreamAsync(ns, streamName, cancellationToken).ConfigureAwait(false);
        if (stream is null || (stream.SpecTag(tag) is null && stream.StatusTag(tag) is null))
        {
            throw ApiErrors.NotFound(Type.GroupResource, name);
        }
        return await ToTagAsync(stream, tag, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<ResourceList<ImageStreamTag>> ListAsync(string? ns, ListOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = await streams.ListAsync(ns, new ListOptions(options?.LabelSelector), cancellationToken).ConfigureAwait(false);
        var fields = Selection.FieldSelector.Parse(options?.FieldSelector);
        var items = new List<ImageStreamTag>();
        foreach (var stream in list.Items)
        {
            foreach (var tag in TagNames(stream))
            {
                var istag = await ToTagAsync(stream, tag, cancellationToken).ConfigureAwait(false);
                if (fields.Matches(istag.Metadata))
                {
                    items.Add(istag);
                }
            }
        }
        return new ResourceList<ImageStreamTag>
        {
            ApiVersion = Type.GroupVersion,
            Kind = Type.ListKind,
            Metadata = list.Metadata,
            Items = items,
        };
    }

    public async ValueTask<ImageStreamTag> CreateAsync(string? ns, ImageStreamTag obj, WriteOptions? options = null, CancellationToken cancellationToken = default)
    {
        var name = obj.Metadata?.Name ?? "";
        var (streamName, tag) = Split(name);
        Validate(obj, streamName, tag, requireTag: true);
        ns = string.IsNullOrEmpty(ns) ? obj.Metadata?.Namespace : ns;
        for (var attempt = 1; ; attempt++)
        {
            var stream = await FindStreamAsync(ns, streamName, cancellationToken).ConfigureAwait(false);
            if (stream?.SpecTag(tag) is not null)
            {
                throw ApiErrors.AlreadyExists(Type.GroupResource, name);
            }
            try
            {
                var written = stream is null
                    ? await streams.CreateAsync(ns, new ImageStream
                    {
                        Metadata = new ObjectMeta { Name = streamName, Namespace = ns },
                        Spec = new ImageStreamSpec { LookupPolicy = obj.LookupPolicy ?? new ImageLookupPolicy(), Tags = [obj.Tag! with { Name = tag }] },
                    }, options, cancellationToken).ConfigureAwait(false)
                    : await streams.UpdateAsync(ns, stream with
                    {
                        Spec = stream.Spec with { Tags = [.. stream.Spec.Tags ?? [], obj.Tag! with { Name = tag }] },
                    }, options, cancellationToken).ConfigureAwait(false);
                return await ToTagAsync(written, tag, cancellationToken).ConfigureAwait(false);
            }
            catch (ApiException e) when (e.Reason is StatusReasons.AlreadyExists or StatusReasons.Conflict && attempt < Storage.ResourceStore<ImageStream>.MaxConflictRetries)
            {
            }
        }
    }

    public async ValueTask<ImageStreamTag> UpdateAsync(string? ns, ImageStreamTag obj, WriteOptions? options = null, CancellationToken cancellationToken = default)
    {
        var name = obj.Metadata?.Name ?? "";
        var (streamName, tag) = Split(name);
        Validate(obj, streamName, tag, requireTag: false);
        ns = string.IsNullOrEmpty(ns) ? obj.Metadata?.Namespace : ns;
        var precondition = obj.Metadata?.ResourceVersion;
        var stream = await FindStreamAsync(ns, streamName, cancellationToken).ConfigureAwait(false);
        if (stream is null)
        {
            // As in OpenShift, updating the tag of a missing stream creates both.
            return obj.Tag is null
                ? throw ApiErrors.NotFound(Type.GroupResource, name)
                : await CreateAsync(ns, obj, options, cancellationToken).ConfigureAwait(false);
        }
        // The tag's resource version is its stream's: a version in the body guards the stream write, as in OpenShift.
        var tags = (stream.Spec.Tags ?? []).Where(t => t.Name != tag).ToList();
        if (obj.Tag is not null)
        {
            var index = (stream.Spec.Tags ?? []).ToList().FindIndex(t => t.Name == tag);
            tags.Insert(index < 0 ? tags.Count : index, obj.Tag with { Name = tag });
        }
        var updated = stream with
        {
            Metadata = stream.Metadata with { ResourceVersion = string.IsNullOrEmpty(precondition) ? stream.Metadata.ResourceVersion : precondition },
            Spec = stream.Spec with { LookupPolicy = obj.LookupPolicy ?? new ImageLookupPolicy(), Tags = tags },
        };
        var written = await streams.UpdateAsync(ns, updated, options, cancellationToken).ConfigureAwait(false);
        return await ToTagAsync(written, tag, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<ImageStreamTag?> DeleteAsync(string? ns, string name, DeleteOptions? options = null, CancellationToken cancellationToken = default)
    {
        var (streamName, tag) = Split(name);
        options ??= DeleteOptions.Default;
        for (var attempt = 1; ; attempt++)
        {
            var stream = await FindStreamAsync(ns, streamName, cancellationToken).ConfigureAwait(false);
            if (stream is null || (stream.SpecTag(tag) is null && stream.StatusTag(tag) is null))
            {
                throw ApiErrors.NotFound(Type.GroupResource, name);
            }
            if (options.DryRun)
            {
                return null;
            }
            var updated = stream with
            {
                Metadata = string.IsNullOrEmpty(options.ResourceVersion) ? stream.Metadata : stream.Metadata with { ResourceVersion = options.ResourceVersion },
                Spec = stream.Spec with { Tags = stream.Spec.Tags?.Where(t => t.Name != tag).ToList() },
                Status = stream.Status is null ? null : stream.Status with { Tags = stream.Status.Tags?.Where(t => t.Tag != tag).ToList() },
            };
            try
            {
                await streams.UpdateAsync(ns, updated, new WriteOptions(WriteScope.All), cancellationToken).ConfigureAwait(false);
                return null;
            }
            catch (ApiException e) when (e.Reason == StatusReasons.Conflict && string.IsNullOrEmpty(options.ResourceVersion) &&
                                         attempt < Storage.ResourceStore<ImageStream>.MaxConflictRetries)
            {
            }
        }
    }

    public IAsyncEnumerable<WatchEvent<ImageStreamTag>> WatchAsync(string? ns, WatchOptions? options = null, CancellationToken cancellationToken = default) =>
        throw ApiErrors.MethodNotAllowed($"watch is not supported on {Type.GroupResource}");

    /// <summary>Builds the tag view of one tag of a stream.</summary>
    internal async ValueTask<ImageStreamTag> ToTagAsync(ImageStream stream, string tag, CancellationToken cancellationToken)
    {
        var spec = stream.SpecTag(tag);
        var history = stream.StatusTag(tag);
        var latest = history is { Items.Count: > 0 } ? history.Items[0] : null;
        var annotations = spec?.Annotations;
        ImageModel? image = null;
        if (latest is not null && !string.IsNullOrEmpty(latest.Image))
        {
            image = await ImageStreamImageView.LoadImageAsync(images, latest, cancellationToken).ConfigureAwait(false);
            image = image with
            {
                DockerImageReference = ResolveReference(stream, spec, latest),
                Metadata = annotations is null ? image.Metadata : image.Metadata with { Annotations = Merge(image.Metadata.Annotations, annotations) },
            };
        }
        return new ImageStreamTag
        {
            Metadata = new ObjectMeta
            {
                Name = $"{stream.Metadata.Name}:{tag}",
                Namespace = stream.Metadata.Namespace,
                Uid = stream.Metadata.Uid,
                ResourceVersion = stream.Metadata.ResourceVersion,
                CreationTimestamp = latest?.Created ?? stream.Metadata.CreationTimestamp,
                Labels = stream.Metadata.Labels,
                Annotations = annotations,
            },
            Tag = spec,
            Generation = latest?.Generation ?? spec?.Generation ?? 0,
            LookupPolicy = stream.Spec.LookupPolicy,
            Conditions = history?.Conditions,
            Image = image,
        };
    }

    /// <summary>Local reference policy: pull through this server's registry; Source: from where it was imported.</summary>
    internal static string ResolveReference(ImageStream stream, TagReference? spec, TagEvent latest) =>
        spec?.ReferencePolicy?.Type == ReferencePolicyTypes.Local && !string.IsNullOrEmpty(stream.Status?.DockerImageRepository)
            ? $"{stream.Status.DockerImageRepository}@{latest.Image}"
            : latest.DockerImageReference;

    private static IEnumerable<string> TagNames(ImageStream stream) =>
        (stream.Spec.Tags ?? []).Select(t => t.Name)
        .Concat((stream.Status?.Tags ?? []).Select(t => t.Tag))
        .Distinct(StringComparer.Ordinal);

    private static IReadOnlyDictionary<string, string> Merge(IReadOnlyDictionary<string, string>? a, IReadOnlyDictionary<string, string> b)
    {
        var merged = a is null ? new Dictionary<string, string>() : new Dictionary<string, string>(a);
        foreach (var (key, value) in b)
        {
            merged[key] = value;
        }
        return merged;
    }

    private async ValueTask<ImageStream?> FindStreamAsync(string? ns, string name, CancellationToken cancellationToken)
    {
        try
        {
            return await streams.GetAsync(ns, name, cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException e) when (e.Reason == StatusReasons.NotFound)
        {
            return null;
        }
    }

    /// <summary>An update may omit the tag (it then removes the spec tag); a create may not.</summary>
    private void Validate(ImageStreamTag obj, string streamName, string tag, bool requireTag)
    {
        var errors = new List<FieldError>();
        var name = obj.Metadata?.Name ?? "";
        if (!Names.IsDns1123Subdomain(streamName) || !Names.IsTag(tag))
        {
            errors.Add(FieldError.Invalid("metadata.name", name, "must be <stream>:<tag>, a DNS-1123 subdomain and a tag"));
        }
        if (obj.Tag is null && requireTag)
        {
            errors.Add(FieldError.MissingValue("tag"));
        }
        else if (obj.Tag is not null)
        {
            var defaulted = obj.Tag with
            {
                ImportPolicy = obj.Tag.ImportPolicy ?? new TagImportPolicy(),
                ReferencePolicy = string.IsNullOrEmpty(obj.Tag.ReferencePolicy?.Type) ? new TagReferencePolicy() : obj.Tag.ReferencePolicy,
            };
            ImageStreamValidation.ValidateTag(defaulted, "tag", errors);
            if (!string.IsNullOrEmpty(obj.Tag.Name) && obj.Tag.Name != tag)
            {
                errors.Add(FieldError.Invalid("tag.name", obj.Tag.Name, "must match the tag of metadata.name"));
            }
        }
        if (errors.Count > 0)
        {
            throw ApiErrors.Invalid(Type.Kind, Type.Group, name, errors);
        }
    }

    private (string Stream, string Tag) Split(string name)
    {
        var colon = name.IndexOf(':', StringComparison.Ordinal);
        return colon <= 0 || colon == name.Length - 1 || name.IndexOf(':', colon + 1) >= 0
            ? throw ApiErrors.BadRequest($"{Type.Resource} must be retrieved with <name>:<tag> (got \"{name}\")")
            : (name[..colon], name[(colon + 1)..]);
    }
}
