using ImageStreams.Model.Image;
using ImageStreams.Model.Meta;
using ImageStreams.Model.Serialization;

namespace ImageStreams.Cli.Tests.Printers;

/// <summary>The objects behind seed 000's import-image output, and that output as oc printed it.</summary>
internal static class Seed000
{
    public const string Digest = "sha256:e3f12513a4b22a2d7c0e7c9207f52128113758d9d68c7d06b11a0ac7672966f7";

    /// <summary>The seed's import-image output, with oc 4's "Image Repository" where oc 3.11 said "Docker Pull Spec".</summary>
    public static string ImportOutput { get; } = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "testdata", "seed000-import-image.txt"));

    public static ImageStream Stream { get; } = ResourceJson.FromNode<ImageStream>(
        Yaml.ParseDocuments(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "testdata", "seed000-rhel7.yaml"))).Single());

    /// <summary>When the seed ran: the stream was created "Less than a second ago".</summary>
    public static DateTimeOffset Now => Stream.Metadata.CreationTimestamp!.Value;

    /// <summary>The image the seed imported; its labels and environment are read from the seed's own lines.</summary>
    public static Image Image { get; } = new()
    {
        Metadata = new ObjectMeta
        {
            Name = Digest,
            CreationTimestamp = Now,
            Annotations = new Dictionary<string, string> { [ImageApi.DockerLayersOrderAnnotation] = ImageApi.LayersOrderAscending },
        },
        DockerImageReference = "registry.access.redhat.com/rhel7@" + Digest,
        DockerImageLayers =
        [
            new ImageLayer { Name = "sha256:76608b6b9d54251299c5d3be69fdf53e05f97a3735bbcd5889c30ebb78608428", Size = 75_833_000 },
            new ImageLayer { Name = "sha256:3c81a5d20855a6cef8b997d709410e047e2839b5ad113f4c34d25e9fae9e3beb", Size = 1_266 },
        ],
        DockerImageMetadata = new DockerImageMetadata
        {
            Created = Now.AddDays(-6),
            Author = "Red Hat, Inc.",
            Architecture = "amd64",
            Size = 75_840_000,
            Config = new DockerConfig
            {
                Cmd = ["/bin/bash"],
                Labels = Values("Docker Labels", "Environment").Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p[1]),
                Env = Values("Environment", null),
            },
        },
    };

    /// <summary>The values of a multi-line field of the seed's image block, from its label to the next label.</summary>
    private static List<string> Values(string label, string? next)
    {
        var lines = ImportOutput.Split('\n');
        var first = Array.FindIndex(lines, l => l.StartsWith(label + ":\t", StringComparison.Ordinal));
        var values = new List<string> { lines[first][(label.Length + 1)..].TrimStart('\t') };
        for (var i = first + 1; i < lines.Length && lines[i].StartsWith('\t') && (next is null || !lines[i].StartsWith(next, StringComparison.Ordinal)); i++)
        {
            values.Add(lines[i].TrimStart('\t'));
        }
        return values;
    }
}
