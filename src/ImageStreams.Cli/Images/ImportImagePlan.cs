using ImageStreams.Model.Image;
using ImageStreams.Model.Meta;

namespace ImageStreams.Cli.Images;

/// <summary>What the user asked <c>isctl import-image</c> for.</summary>
/// <param name="Target">NAME[:TAG], or a pull spec whose last path component names the stream.</param>
/// <param name="Insecure">--insecure when given; null leaves the stream's insecure annotation in charge.</param>
/// <param name="ReferencePolicy">--reference-policy (source|local) when given.</param>
/// <param name="ImportMode">--import-mode (Legacy|PreserveOriginal) when given.</param>
internal sealed record ImportImageOptions(
    string Target,
    string? From = null,
    bool Confirm = false,
    bool All = false,
    bool Scheduled = false,
    bool? Insecure = null,
    string? ReferencePolicy = null,
    string? ImportMode = null,
    bool DryRun = false);

/// <summary>The stream and tag an import-image target names.</summary>
internal sealed record ImportTarget(string Stream, string? Tag);

/// <summary>
/// Turns import-image's arguments and the stream as it is (null when it does not exist) into the ImageStreamImport to
/// send, by oc's rules: a new stream needs --confirm and takes --from (else the target itself); an existing tag is
/// re-imported from its own source and may not be pointed elsewhere (that is what <c>tag</c> is for); --all imports a
/// whole repository, or every tag of the stream that comes from a registry.
/// </summary>
internal static class ImportImagePlan
{
    public static ImportTarget ParseTarget(ImportImageOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.Target))
        {
            throw new CliException("you must specify the name of an image stream");
        }
        if (!PullSpec.TryParse(options.Target, out var target, out _))
        {
            throw new CliException("the image name must be a valid container image pull spec or reference to an image stream (e.g. myregistry/myteam/image:tag)");
        }
        if (target.Id.Length > 0)
        {
            throw new CliException("to import images by ID, use the 'tag' command");
        }
        if (target.Tag.Length > 0 && options.All)
        {
            throw new CliException($"cannot specify a tag \"{options.Target}\" as well as --all");
        }
        return new ImportTarget(target.Name, options.All ? null : NonEmpty(target.Tag) ?? TagReferences.DefaultTag);
    }

    /// <exception cref="CliException">The import cannot be made as asked; the message says what to do instead.</exception>
    public static ImageStreamImport Build(ImportImageOptions options, string ns, ImageStream? stream)
    {
        var target = ParseTarget(options);
        var referencePolicy = TagFlags.ReferencePolicy(options.ReferencePolicy);
        var importMode = TagFlags.ImportMode(options.ImportMode);
        var request = new Request(options, target, referencePolicy, importMode, stream);
        if (stream is null)
        {
            if (!options.Confirm)
            {
                throw new CliException($"no image stream named \"{target.Stream}\" exists, pass --confirm to create and import");
            }
            var from = NonEmpty(options.From) ?? options.Target;
            return options.All ? request.Repository(ns, from) : request.Tags(ns, [(target.Tag!, from)]);
        }
        return options.All ? ImportAll(request, ns, stream) : ImportTag(request, ns, stream);
    }

    private static ImageStreamImport ImportAll(Request request, string ns, ImageStream stream)
    {
        var from = NonEmpty(request.Options.From);
        var repository = NonEmpty(stream.Spec.DockerImageRepository);
        if (from is null)
        {
            if (repository is not null)
            {
                return request.Repository(ns, repository);
            }
            var tags = (stream.Spec.Tags ?? [])
                .Where(t => t.From?.Kind == SourceKinds.DockerImage && !string.IsNullOrEmpty(t.From.Name))
                .Select(t => (t.Name, t.From!.Name!))
                .ToList();
            return tags.Count == 0
                ? throw new CliException("image stream does not have tags pointing to external container images")
                : request.Tags(ns, tags);
        }
        if (from != repository && !request.Options.Confirm)
        {
            throw new CliException(repository is null
                ? "the image stream does not currently import an entire Docker repository, pass --confirm to update"
                : $"the image stream has a different import spec \"{repository}\", pass --confirm to update");
        }
        return request.Repository(ns, from);
    }

    private static ImageStreamImport ImportTag(Request request, string ns, ImageStream stream)
    {
        var tag = request.Target.Tag!;
        var from = NonEmpty(request.Options.From);
        var followed = TagReferences.Follow(stream, tag);
        switch (followed.Error)
        {
            case FollowError.CrossStream:
                throw new CliException($"tag \"{tag}\" points to an imagestreamtag from another ImageStream");
            case FollowError.Circular:
                throw new CliException($"tag \"{tag}\" on the image stream is a reference to same tag");
            case FollowError.NotFound:
                // A stream that mirrors a whole repository can gain its latest tag from it.
                from ??= tag == TagReferences.DefaultTag ? NonEmpty(stream.Spec.DockerImageRepository) : null;
                return from is null
                    ? throw new CliException($"the tag \"{tag}\" does not exist on the image stream - choose an existing tag to import or use the 'tag' command to create a new tag")
                    : request.Tags(ns, [(tag, from)]);
        }

        var existing = followed.Reference!;
        if (existing.From is null)
        {
            throw new CliException($"tag \"{tag}\" already exists - you must use the 'tag' command if you want to change the source to \"{from}\"");
        }
        if (existing.From.Kind != SourceKinds.DockerImage)
        {
            throw new CliException($"tag \"{tag}\" points to existing {existing.From.Kind} \"{existing.From.Name}\", it cannot be re-imported");
        }
        if (from is not null && from != existing.From.Name)
        {
            throw new CliException(followed.Multiple
                ? $"the tag \"{tag}\" points to the tag \"{followed.FinalTag}\" which points to \"{existing.From.Name}\" - use the 'tag' command if you want to change the source to \"{from}\""
                : $"the tag \"{tag}\" points to \"{existing.From.Name}\" - use the 'tag' command if you want to change the source to \"{from}\"");
        }
        return request.Tags(ns, [(followed.FinalTag, existing.From.Name ?? "")]);
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private sealed record Request(ImportImageOptions Options, ImportTarget Target, string? ReferencePolicy, string? ImportMode, ImageStream? Stream)
    {
        /// <summary>--insecure when given, else the stream's insecure annotation.</summary>
        private bool StreamInsecure =>
            Options.Insecure ?? Stream?.Metadata.Annotation(ImageApi.InsecureRepositoryAnnotation) == "true";

        public ImageStreamImport Repository(string ns, string from) => Import(ns) with
        {
            Spec = new ImageStreamImportSpec
            {
                Import = !Options.DryRun,
                Repository = new RepositoryImportSpec
                {
                    From = new ObjectReference { Kind = SourceKinds.DockerImage, Name = from },
                    ImportPolicy = new TagImportPolicy { Insecure = StreamInsecure, Scheduled = Options.Scheduled, ImportMode = ImportMode },
                    ReferencePolicy = new TagReferencePolicy { Type = ReferencePolicy ?? ReferencePolicyTypes.Source },
                },
            },
        };

        /// <summary>
        /// One image per tag. A tag that exists keeps its own insecure and scheduled settings (the flags can only add
        /// to them), and its reference policy and import mode unless the flags change them.
        /// </summary>
        public ImageStreamImport Tags(string ns, IReadOnlyList<(string Tag, string From)> tags) => Import(ns) with
        {
            Spec = new ImageStreamImportSpec
            {
                Import = !Options.DryRun,
                Images = tags.Select(t =>
                {
                    var old = Stream?.SpecTag(t.Tag);
                    return new ImageImportSpec
                    {
                        From = new ObjectReference { Kind = SourceKinds.DockerImage, Name = t.From },
                        To = new LocalObjectReference { Name = t.Tag },
                        ImportPolicy = new TagImportPolicy
                        {
                            Insecure = StreamInsecure || old?.ImportPolicy.Insecure == true,
                            Scheduled = Options.Scheduled || old?.ImportPolicy.Scheduled == true,
                            ImportMode = ImportMode ?? old?.ImportPolicy.ImportMode,
                        },
                        ReferencePolicy = new TagReferencePolicy
                        {
                            Type = ReferencePolicy ?? NonEmpty(old?.ReferencePolicy.Type) ?? ReferencePolicyTypes.Source,
                        },
                    };
                }).ToList(),
            },
        };

        private ImageStreamImport Import(string ns) => new()
        {
            Metadata = new ObjectMeta { Name = Target.Stream, Namespace = ns },
        };
    }
}
