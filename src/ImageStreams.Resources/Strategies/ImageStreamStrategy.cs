using System.Text.Json.Nodes;
using ImageStreams.Model.Image;
using ImageStreams.Model.Meta;
using ImageStreams.Model.Serialization;
using ImageStreams.Model.Validation;

namespace ImageStreams.Resources.Strategies;

/// <summary>
/// Image stream rules as OpenShift has them: generation counts spec changes; each spec tag carries the stream generation
/// of its last source change (a user may only set 0, to ask for a re-import); status is written only through the status
/// subresource; status.dockerImageRepository is computed on every read.
/// </summary>
internal sealed class ImageStreamStrategy(IRegistryHost registry) : IResourceStrategy<ImageStream>
{
    public ResourceType Type => ResourceTypes.ImageStreams;

    public bool HasGeneration => true;

    public ImageStream WithMetadata(ImageStream obj, ObjectMeta metadata) => obj with { Metadata = metadata };

    public ImageStream PrepareForCreate(ImageStream obj, WriteScope scope)
    {
        obj = Normalize(obj);
        var generation = obj.Metadata.Generation;
        return obj with
        {
            Spec = obj.Spec with { Tags = obj.Spec.Tags?.Select(t => t with { Generation = generation }).ToList() },
            Status = scope == WriteScope.All ? StoredStatus(obj.Status) : null,
        };
    }

    public ImageStream PrepareForUpdate(ImageStream obj, ImageStream old, WriteScope scope)
    {
        obj = Normalize(obj);
        if (scope == WriteScope.Status)
        {
            return obj with
            {
                Metadata = obj.Metadata with { Generation = old.Metadata.Generation },
                Spec = old.Spec,
                Status = StoredStatus(obj.Status),
            };
        }

        var tags = obj.Spec.Tags?.Select(t => KeepGeneration(t, old.SpecTag(t.Name))).ToList();
        var spec = obj.Spec with { Tags = tags };
        var generation = old.Metadata.Generation;
        if (!JsonNode.DeepEquals(ResourceJson.ToNode(spec), ResourceJson.ToNode(old.Spec)))
        {
            generation++;
        }
        spec = spec with { Tags = tags?.Select(t => StampGeneration(t, old.SpecTag(t.Name), generation)).ToList() };
        return obj with
        {
            Metadata = obj.Metadata with { Generation = generation },
            Spec = spec,
            Status = scope == WriteScope.All ? StoredStatus(obj.Status) : old.Status,
        };
    }

    public IReadOnlyList<FieldError> Validate(ImageStream obj, ImageStream? old) => ImageStreamValidation.Validate(obj);

    public ImageStream Decorate(ImageStream obj) => obj with
    {
        Status = (obj.Status ?? new ImageStreamStatus()) with
        {
            DockerImageRepository = $"{registry.HostPort}/{obj.Metadata.Namespace}/{obj.Metadata.Name}",
        },
    };

    /// <summary>Users cannot set a tag's generation except to 0; anything else keeps what the server stamped.</summary>
    private static TagReference KeepGeneration(TagReference tag, TagReference? old) =>
        tag.Generation == 0 || old is null ? tag : tag with { Generation = old.Generation };

    /// <summary>A new tag, a changed source, or a reset to 0 takes the stream generation of this write.</summary>
    private static TagReference StampGeneration(TagReference tag, TagReference? old, long generation) =>
        old is null || tag.Generation is null or 0 || SourceChanged(old, tag) ? tag with { Generation = generation } : tag;

    private static bool SourceChanged(TagReference old, TagReference tag) =>
        old.From?.Kind != tag.From?.Kind || old.From?.Name != tag.From?.Name || old.From?.Namespace != tag.From?.Namespace ||
        old.Reference != tag.Reference || old.ImportPolicy.ImportMode != tag.ImportPolicy.ImportMode;

    /// <summary>Defaults as the API applies them: explicit nulls become empty values, an empty reference policy is Source.</summary>
    private static ImageStream Normalize(ImageStream stream)
    {
        var spec = stream.Spec ?? new ImageStreamSpec();
        return stream with
        {
            Spec = spec with
            {
                LookupPolicy = spec.LookupPolicy ?? new ImageLookupPolicy(),
                Tags = spec.Tags?.Select(t => t ?? new TagReference()).Select(t => t with
                {
                    Name = t.Name ?? "",
                    ImportPolicy = t.ImportPolicy ?? new TagImportPolicy(),
                    ReferencePolicy = string.IsNullOrEmpty(t.ReferencePolicy?.Type) ? new TagReferencePolicy() : t.ReferencePolicy,
                }).ToList(),
            },
        };
    }

    /// <summary>The computed repository names are never stored.</summary>
    private static ImageStreamStatus? StoredStatus(ImageStreamStatus? status) =>
        status is null ? null : status with { DockerImageRepository = null, PublicDockerImageRepository = null };
}
