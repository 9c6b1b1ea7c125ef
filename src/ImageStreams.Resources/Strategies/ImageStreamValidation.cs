using System.Text.RegularExpressions;
using ImageStreams.Model.Image;
using ImageStreams.Model.Validation;

namespace ImageStreams.Resources.Strategies;

/// <summary>Field checks of an image stream, with OpenShift's field paths and messages.</summary>
internal static partial class ImageStreamValidation
{
    private static readonly string[] SourceKindValues = [SourceKinds.DockerImage, SourceKinds.ImageStreamImage, SourceKinds.ImageStreamTag];
    private static readonly string[] ImportModeValues = [ImportModes.Legacy, ImportModes.PreserveOriginal];
    private static readonly string[] ReferencePolicyValues = [ReferencePolicyTypes.Local, ReferencePolicyTypes.Source];

    public static IReadOnlyList<FieldError> Validate(ImageStream stream)
    {
        var errors = new List<FieldError>(Names.ValidateSubdomainName(stream.Metadata.Name));
        if (!string.IsNullOrEmpty(stream.Spec.DockerImageRepository) && !IsDockerReference(stream.Spec.DockerImageRepository))
        {
            errors.Add(FieldError.Invalid("spec.dockerImageRepository", stream.Spec.DockerImageRepository, ReferenceMessage));
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var tags = stream.Spec.Tags ?? [];
        for (var i = 0; i < tags.Count; i++)
        {
            var path = $"spec.tags[{i}]";
            var tag = tags[i];
            errors.AddRange(Names.ValidateTagName(tag.Name, $"{path}.name"));
            if (!string.IsNullOrEmpty(tag.Name) && !seen.Add(tag.Name))
            {
                errors.Add(new FieldError($"{path}.name", FieldError.Duplicate, "", tag.Name));
            }
            ValidateTag(tag, path, errors);
        }
        var statusTags = stream.Status?.Tags ?? [];
        for (var i = 0; i < statusTags.Count; i++)
        {
            errors.AddRange(Names.ValidateTagName(statusTags[i].Tag, $"status.tags[{i}].tag"));
        }
        return errors;
    }

    public static void ValidateTag(TagReference tag, string path, List<FieldError> errors)
    {
        if (tag.From is { } from)
        {
            if (string.IsNullOrEmpty(from.Kind))
            {
                errors.Add(FieldError.MissingValue($"{path}.from.kind"));
            }
            else if (!SourceKindValues.Contains(from.Kind))
            {
                errors.Add(NotSupported($"{path}.from.kind", from.Kind, SourceKindValues));
            }
            if (string.IsNullOrEmpty(from.Name))
            {
                errors.Add(FieldError.MissingValue($"{path}.from.name"));
            }
            else if (SourceNameError(from.Kind, from.Name) is { } message)
            {
                errors.Add(FieldError.Invalid($"{path}.from.name", from.Name, message));
            }
        }
        if (tag.ImportPolicy.Scheduled && tag.From?.Kind != SourceKinds.DockerImage)
        {
            errors.Add(FieldError.Invalid($"{path}.importPolicy.scheduled", true,
                "only tags pointing to Docker repositories may be scheduled for background import"));
        }
        if (!string.IsNullOrEmpty(tag.ImportPolicy.ImportMode) && !ImportModeValues.Contains(tag.ImportPolicy.ImportMode))
        {
            errors.Add(NotSupported($"{path}.importPolicy.importMode", tag.ImportPolicy.ImportMode, ImportModeValues));
        }
        if (!ReferencePolicyValues.Contains(tag.ReferencePolicy.Type))
        {
            errors.Add(NotSupported($"{path}.referencePolicy.type", tag.ReferencePolicy.Type, ReferencePolicyValues));
        }
    }

    private static string? SourceNameError(string? kind, string name)
    {
        switch (kind)
        {
            case SourceKinds.DockerImage:
                return IsDockerReference(name) ? null : ReferenceMessage;
            case SourceKinds.ImageStreamTag:
                var colon = name.Split(':');
                return colon.Length switch
                {
                    1 when Names.IsTag(colon[0]) => null,
                    2 when Names.IsDns1123Subdomain(colon[0]) && Names.IsTag(colon[1]) => null,
                    _ => "must be <tag> or <stream>:<tag>",
                };
            case SourceKinds.ImageStreamImage:
                var at = name.Split('@');
                return at.Length == 2 && Names.IsDns1123Subdomain(at[0]) && at[1].Length > 0 ? null : "must be <stream>@<digest>";
            default:
                return null;
        }
    }

    private static FieldError NotSupported(string field, string? value, string[] supported) =>
        new(field, FieldError.NotSupported, "supported values: " + string.Join(", ", supported.Select(s => $"\"{s}\"")), value);

    private const string ReferenceMessage = "must be an image reference such as registry.example.com/group/name:tag or name@sha256:<digest>";

    public static bool IsDockerReference(string value) => ReferencePattern().IsMatch(value);

    // [host[:port]/]path[:tag][@algorithm:hex], the grammar of distribution's reference package.
    [GeneratedRegex(@"^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?$", RegexOptions.CultureInvariant)]
    private static partial Regex ReferencePattern();
}
