using ImageStreams.Model.Image;
using ImageStreams.Model.Meta;
using ImageStreams.Model.Validation;

namespace ImageStreams.Cli.Images;

/// <summary>What the user asked <c>isctl tag</c> for.</summary>
/// <param name="Source">--source: istag, isimage or docker (and their long names); null to infer it.</param>
/// <param name="ReferencePolicy">--reference-policy: source or local; null for source.</param>
/// <param name="ImportMode">--import-mode: Legacy or PreserveOriginal; null to leave it to the server.</param>
internal sealed record TagOptions(
    string? Source = null,
    bool Delete = false,
    bool Alias = false,
    bool Reference = false,
    bool Scheduled = false,
    bool Insecure = false,
    string? ReferencePolicy = null,
    string? ImportMode = null);

/// <summary>Where a tag's images come from: a <see cref="SourceKinds"/> kind and the reference as the user wrote it.</summary>
internal sealed record TagSource(string Kind, PullSpec Reference);

/// <summary>One destination, <c>[ns/]stream:tag</c>.</summary>
internal sealed record TagDestination(string Namespace, string Stream, string Tag)
{
    public string NameAndTag => $"{Stream}:{Tag}";
}

/// <summary>oc's rules for <c>tag</c>: how a source is read, which flags go together, the spec tag written and the message printed.</summary>
internal static class TagPlan
{
    private const string ValidSources = "docker, dockerimage, imagestreamimage, imagestreamtag, isimage, istag";

    /// <summary>Checks the flags on their own, before anything is read from the server.</summary>
    public static void ValidateFlags(TagOptions options, int argumentCount)
    {
        if (options.Delete && options.Alias)
        {
            throw new CliException("--alias and --delete may not be both specified");
        }
        TagFlags.ReferencePolicy(options.ReferencePolicy);
        TagFlags.ImportMode(options.ImportMode);
        if (options.Delete)
        {
            if (options.Source is not null)
            {
                throw new CliException("cannot specify a source kind when deleting");
            }
            if (options.Scheduled || options.Insecure || options.ImportMode is not null)
            {
                throw new CliException("cannot set flags for importing images when deleting a tag");
            }
        }
        if (argumentCount == 0)
        {
            throw new CliException("you must specify a source and at least one destination or one or more tags to delete");
        }
        if (argumentCount == 1 && !options.Delete)
        {
            throw new CliException("at least a destination is required");
        }
        if (options.Alias && (options.Scheduled || options.Insecure))
        {
            throw new CliException("cannot set a container image tag as an alias and also set import flags");
        }
    }

    /// <summary>Reads SOURCE and decides its kind: --source, else a registry host means DockerImage, '@' ImageStreamImage, ':tag' ImageStreamTag.</summary>
    public static TagSource ParseSource(string text, string? sourceFlag)
    {
        var kind = sourceFlag is null ? null : SourceKind(sourceFlag);
        if (!PullSpec.TryParse(text, out var reference, out var error))
        {
            throw new CliException($"invalid SOURCE: {error}");
        }
        switch (kind)
        {
            case SourceKinds.ImageStreamTag or SourceKinds.ImageStreamImage when reference.Registry.Length > 0:
                throw new CliException("server in SOURCE is only allowed when providing a container image");
            case SourceKinds.ImageStreamTag when reference.Tag.Length == 0:
                throw new CliException("--source=ImageStreamTag requires a valid <name>:<tag> in SOURCE");
            case SourceKinds.ImageStreamImage when reference.Id.Length == 0:
                throw new CliException("--source=ImageStreamImage requires a valid <name>@<id> in SOURCE");
            case null:
                kind = reference.Registry.Length > 0 ? SourceKinds.DockerImage
                    : reference.Id.Length > 0 ? SourceKinds.ImageStreamImage
                    : reference.Tag.Length > 0 ? SourceKinds.ImageStreamTag
                    : SourceKinds.DockerImage;
                break;
        }
        return new TagSource(kind, reference);
    }

    /// <summary>The namespace of an image stream source: its own, else the current one.</summary>
    public static string SourceNamespace(TagSource source, string currentNamespace) =>
        source.Reference.Namespace.Length > 0 ? source.Reference.Namespace : currentNamespace;

    /// <summary>
    /// Without --alias a tag copies what the source tag points at now: its image by digest (an ImageStreamImage), or
    /// its pull spec when the tag holds a reference to an image that was never imported.
    /// </summary>
    public static TagSource ResolveCopy(TagSource source, ImageStream stream, string sourceText)
    {
        var tag = source.Reference.Tag.Length > 0 ? source.Reference.Tag : TagReferences.DefaultTag;
        var latest = TagHistory.Latest(stream, tag)
            ?? throw new CliException($"\"{sourceText}\" is not currently pointing to an image, cannot use it as the source of a tag");
        if (latest.Image.Length > 0)
        {
            return new TagSource(SourceKinds.ImageStreamImage, source.Reference with { Tag = "", Id = latest.Image });
        }
        return PullSpec.TryParse(latest.DockerImageReference, out var pullSpec, out var error)
            ? new TagSource(SourceKinds.DockerImage, pullSpec)
            : throw new CliException($"the image stream tag \"{sourceText}\" has an invalid pull spec and cannot be used to tag: {error}");
    }

    /// <summary>Checks what depends on the source's final kind: only registry images are imported.</summary>
    public static void ValidateSource(TagOptions options, TagSource source)
    {
        if (source.Kind != SourceKinds.DockerImage && (options.Scheduled || options.Insecure || options.ImportMode is not null))
        {
            throw new CliException("only container images can have importing flags set");
        }
    }

    public static IReadOnlyList<TagDestination> ParseDestinations(IEnumerable<string> args, string currentNamespace) =>
        args.Select(arg => ParseDestination(arg, currentNamespace)).ToList();

    /// <summary>
    /// The spec tag written for a destination. A registry image gets generation 0, which asks the server to import
    /// it (again); a stream source records its namespace only when it differs from the destination's.
    /// </summary>
    public static TagReference SpecTag(TagOptions options, TagSource source, TagDestination destination, string currentNamespace)
    {
        var reference = source.Reference;
        var docker = source.Kind == SourceKinds.DockerImage;
        var fromNamespace = reference.Namespace.Length > 0 ? reference.Namespace
            : destination.Namespace != currentNamespace ? currentNamespace
            : null;
        return new TagReference
        {
            Name = destination.Tag,
            Reference = options.Reference,
            Generation = docker ? 0 : null,
            From = new ObjectReference
            {
                Kind = source.Kind,
                Name = docker ? reference.Exact : reference.NameString,
                Namespace = docker ? null : fromNamespace,
            },
            ImportPolicy = new TagImportPolicy
            {
                Insecure = options.Insecure,
                Scheduled = options.Scheduled,
                ImportMode = TagFlags.ImportMode(options.ImportMode),
            },
            ReferencePolicy = new TagReferencePolicy { Type = TagFlags.ReferencePolicy(options.ReferencePolicy) ?? ReferencePolicyTypes.Source },
        };
    }

    /// <summary>oc's words for a tag that was set; the destination's namespace is named when it is not the current one.</summary>
    public static string Message(TagOptions options, TagSource source, TagDestination destination, string currentNamespace)
    {
        var sameNamespace = destination.Namespace == currentNamespace;
        var name = sameNamespace ? destination.NameAndTag : $"{destination.Namespace}/{destination.NameAndTag}";
        var from = source.Reference.Exact;
        if (options.Alias)
        {
            return $"Tag {name} set up to track {from}.";
        }
        if (options.Scheduled)
        {
            // oc leaves out "import" when the namespace is named; kept, since scripts match these lines.
            return sameNamespace ? $"Tag {name} set to import {from} periodically." : $"Tag {name} set to {from} periodically.";
        }
        return $"Tag {name} set to {from}.";
    }

    public static string DeletedMessage(TagDestination destination) => $"Deleted tag {destination.Namespace}/{destination.NameAndTag}.";

    private static string SourceKind(string flag) => flag.ToLowerInvariant() switch
    {
        "istag" or "imagestreamtag" or "imagestreamtags" => SourceKinds.ImageStreamTag,
        "isimage" or "imagestreamimage" or "imagestreamimages" => SourceKinds.ImageStreamImage,
        "docker" or "dockerimage" => SourceKinds.DockerImage,
        _ => throw new CliException($"invalid source \"{flag}\"; valid values are {ValidSources}"),
    };

    private static TagDestination ParseDestination(string arg, string currentNamespace)
    {
        var ns = currentNamespace;
        var nameAndTag = arg;
        if (arg.Contains('/', StringComparison.Ordinal))
        {
            var parts = arg.Split('/');
            if (parts.Length != 2)
            {
                throw new CliException($"invalid image stream \"{arg}\"");
            }
            if (parts[0].Length == 0)
            {
                throw new CliException($"invalid namespace \"{parts[0]}\" for image stream \"{arg}\"");
            }
            if (parts[1].Length == 0)
            {
                throw new CliException($"invalid name \"{parts[1]}\" for image stream \"{arg}\"");
            }
            (ns, nameAndTag) = (parts[0], parts[1]);
        }
        var colon = nameAndTag.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            throw new CliException($"\"{nameAndTag}\" must be of the form <stream_name>:<tag>");
        }
        var tag = nameAndTag[(colon + 1)..];
        if (tag.Length == 0)
        {
            tag = TagReferences.DefaultTag;
        }
        if (!Names.IsTag(tag))
        {
            throw new CliException($"invalid tag \"{tag}\" in \"{arg}\": {Names.TagMessage}");
        }
        return new TagDestination(ns, nameAndTag[..colon], tag);
    }
}
