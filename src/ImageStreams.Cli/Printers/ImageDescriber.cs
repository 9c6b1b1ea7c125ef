using System.Globalization;
using ImageStreams.Model.Image;

namespace ImageStreams.Cli.Printers;

/// <summary>
/// The image block of oc (<c>describe image</c>, <c>describe istag</c>, <c>describe isimage</c> and the end of
/// <c>import-image</c>): where the image is, its size and layers, then what its configuration says.
/// </summary>
internal static class ImageDescriber
{
    /// <param name="imageName">The name the image was asked for by (<c>rhel7:latest</c>); printed first when given.</param>
    public static string Describe(Image image, string? imageName, DateTimeOffset now)
    {
        var text = new TabbedText();
        if (!string.IsNullOrEmpty(imageName))
        {
            ImageStreamDescriber.WriteField(text, "Image Name", imageName);
        }
        ImageStreamDescriber.WriteField(text, "Docker Image", image.DockerImageReference ?? "");
        ImageStreamDescriber.WriteField(text, "Name", image.Metadata.Name ?? "");
        if (image.Metadata.CreationTimestamp is { } created)
        {
            ImageStreamDescriber.WriteField(text, "Created", Ages.Ago(created, now));
        }
        if (image.Metadata.Labels is { Count: > 0 } labels)
        {
            ImageStreamDescriber.WriteMap(text, "Labels", labels);
        }
        if (image.Metadata.Annotations is { Count: > 0 } annotations)
        {
            ImageStreamDescriber.WriteAnnotations(text, annotations);
        }

        var metadata = image.DockerImageMetadata ?? new DockerImageMetadata();
        if (image.DockerImageManifests is { Count: > 0 } manifests)
        {
            // A manifest list has no layers or configuration of its own: its children are the images.
            ImageStreamDescriber.WriteField(text, "Manifests", string.Join("\n", manifests.Select(m => $"{Platform(m)}\t{m.Digest}")));
            WriteImageCreated(text, metadata, now);
            return text.ToString();
        }

        var layers = image.DockerImageLayers ?? [];
        if (layers.Count == 0)
        {
            ImageStreamDescriber.WriteField(text, "Layer Size", Sizes.Human(metadata.Size));
        }
        else
        {
            ImageStreamDescriber.WriteField(text, "Image Size",
                $"{Sizes.Human(metadata.Size)} in {layers.Count.ToString(CultureInfo.InvariantCulture)} layers");
            ImageStreamDescriber.WriteField(text, "Layers", string.Join("\n", layers.Select(l => $"{Sizes.Human(l.Size)}\t{l.Name}")));
        }
        WriteImageCreated(text, metadata, now);
        ImageStreamDescriber.WriteField(text, "Author", metadata.Author ?? "");
        ImageStreamDescriber.WriteField(text, "Arch", metadata.Architecture ?? "");
        WriteConfig(text, metadata.Config ?? new DockerConfig());
        return text.ToString();
    }

    private static void WriteImageCreated(TabbedText text, DockerImageMetadata metadata, DateTimeOffset now) =>
        ImageStreamDescriber.WriteField(text, "Image Created", metadata.Created is { } created ? Ages.Ago(created, now) : "");

    private static void WriteConfig(TabbedText text, DockerConfig config)
    {
        if (config.Entrypoint is { Count: > 0 } entrypoint)
        {
            ImageStreamDescriber.WriteField(text, "Entrypoint", string.Join(' ', entrypoint));
        }
        if (config.Cmd is { Count: > 0 } command)
        {
            ImageStreamDescriber.WriteField(text, "Command", string.Join(' ', command));
        }
        else if (config.Entrypoint is not { Count: > 0 })
        {
            ImageStreamDescriber.WriteField(text, "Command", "");
        }
        ImageStreamDescriber.WriteField(text, "Working Dir", config.WorkingDir ?? "");
        ImageStreamDescriber.WriteField(text, "User", config.User ?? "");
        ImageStreamDescriber.WriteField(text, "Exposes Ports", string.Join(", ", (config.ExposedPorts?.Keys ?? []).Order(StringComparer.Ordinal)));
        ImageStreamDescriber.WriteMap(text, "Docker Labels", config.Labels);
        WriteList(text, "Environment", config.Env ?? []);
        WriteList(text, "Volumes", (config.Volumes?.Keys ?? []).Order(StringComparer.Ordinal).ToList());
    }

    /// <summary>One value per line; nothing at all when there is none, as oc leaves these out.</summary>
    private static void WriteList(TabbedText text, string label, IReadOnlyList<string> values)
    {
        if (values.Count > 0)
        {
            ImageStreamDescriber.WriteField(text, label, string.Join("\n", values));
        }
    }

    private static string Platform(ImageManifest manifest)
    {
        var platform = $"{manifest.Os}/{manifest.Architecture}";
        return string.IsNullOrEmpty(manifest.Variant) ? platform : $"{platform}/{manifest.Variant}";
    }
}
