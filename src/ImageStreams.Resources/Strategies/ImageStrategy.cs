using ImageStreams.Model.Meta;
using ImageStreams.Model.Validation;
using ImageModel = ImageStreams.Model.Image.Image;

namespace ImageStreams.Resources.Strategies;

/// <summary>Images: cluster scoped, named by manifest digest, with the reference they were found at.</summary>
internal sealed class ImageStrategy : IResourceStrategy<ImageModel>
{
    public ResourceType Type => ResourceTypes.Images;

    public bool HasGeneration => false;

    public ImageModel WithMetadata(ImageModel obj, ObjectMeta metadata) => obj with { Metadata = metadata };

    public ImageModel PrepareForCreate(ImageModel obj, WriteScope scope) => obj;

    public ImageModel PrepareForUpdate(ImageModel obj, ImageModel old, WriteScope scope) => obj;

    public IReadOnlyList<FieldError> Validate(ImageModel obj, ImageModel? old)
    {
        var errors = new List<FieldError>();
        var name = obj.Metadata.Name;
        if (string.IsNullOrEmpty(name))
        {
            errors.Add(FieldError.MissingValue("metadata.name", "name or generateName is required"));
        }
        else if (name is "." or ".." || name.Contains('/', StringComparison.Ordinal) || name.Contains('%', StringComparison.Ordinal))
        {
            errors.Add(FieldError.Invalid("metadata.name", name, "may not be '.' or '..' and may not contain '/' or '%'"));
        }
        if (string.IsNullOrEmpty(obj.DockerImageReference))
        {
            errors.Add(FieldError.MissingValue("dockerImageReference"));
        }
        return errors;
    }

    public ImageModel Decorate(ImageModel obj) => obj;
}
