using System.Globalization;
using System.Text;
using System.Text.Json;
using ImageStreams.Model.Image;
using ImageStreams.Model.Meta;
using ImageStreams.Registry.Manifests;
using ImageStreams.Registry.References;
using ModelImage = ImageStreams.Model.Image.Image;

namespace ImageStreams.Registry.Inspection;

/// <summary>Builds the Image records OpenShift stores from manifests and configs.</summary>
public static class ImageFactory
{
    public const string MetadataVersion = "1.0";

    /// <exception cref="JsonException">The config is not a JSON image configuration.</exception>
    public static ModelImage FromSchema2(ImageReference repository, Schema2Manifest manifest, ReadOnlyMemory<byte> config, bool includeManifest)
    {
        var json = JsonSerializer.Deserialize(config.Span, RegistryJsonContext.Default.ImageConfigJson)
            ?? throw new JsonException("the image config is null");
        var layers = manifest.Layers
            .Select(l => new ImageLayer { Name = l.Digest.ToString(), Size = l.Size, MediaType = l.MediaType })
            .ToList();
        return Build(repository, manifest, includeManifest) with
        {
            DockerImageMetadata = Metadata(json, manifest.Config.Digest.ToString(), layers.Sum(l => l.Size) + config.Length),
            DockerImageLayers = layers,
            DockerImageConfig = Encoding.UTF8.GetString(config.Span),
        };
    }

    /// <param name="layerSizes">Sizes of the layer blobs, for manifests whose history carries none.</param>
    /// <exception cref="JsonException">The v1Compatibility of the image is not JSON.</exception>
    public static ModelImage FromSchema1(ImageReference repository, Schema1Manifest manifest, IReadOnlyDictionary<Digest, long> layerSizes, bool includeManifest)
    {
        var json = JsonSerializer.Deserialize(manifest.History[0], RegistryJsonContext.Default.ImageConfigJson)
            ?? throw new JsonException("the v1Compatibility of the image is null");
        // fsLayers and history run newest first; OpenShift stores layers oldest first.
        var layers = manifest.FsLayers
            .Reverse()
            .Select(d => new ImageLayer { Name = d.ToString(), Size = layerSizes.GetValueOrDefault(d), MediaType = MediaTypes.DockerSchema1Layer })
            .ToList();
        var size = manifest.FsLayers.Distinct().Sum(d => layerSizes.GetValueOrDefault(d));
        return Build(repository, manifest, includeManifest) with
        {
            DockerImageMetadata = Metadata(json, manifest.Digest.ToString(), size),
            DockerImageLayers = layers,
        };
    }

    /// <summary>The sizes the v1 history of a schema 1 manifest gives, when it gives one per layer.</summary>
    public static IReadOnlyDictionary<Digest, long> Schema1HistorySizes(Schema1Manifest manifest)
    {
        var sizes = new Dictionary<Digest, long>();
        if (manifest.History.Count != manifest.FsLayers.Count)
        {
            return sizes;
        }
        for (var i = 0; i < manifest.FsLayers.Count; i++)
        {
            try
            {
                var size = JsonSerializer.Deserialize(manifest.History[i], RegistryJsonContext.Default.ImageConfigJson)?.Size ?? 0;
                if (size > 0)
                {
                    sizes[manifest.FsLayers[i]] = size;
                }
            }
            catch (JsonException)
            {
                // A history entry without a readable size; the caller asks the registry instead.
            }
        }
        return sizes;
    }

    /// <param name="created">When the list was made, taken from a child so it never depends on the time of the import.</param>
    public static ModelImage FromList(ImageReference repository, ManifestList list, DateTimeOffset? created, bool includeManifest) =>
        Build(repository, list, includeManifest) with
        {
            Metadata = new ObjectMeta { Name = list.Digest.ToString() },
            DockerImageMetadata = new DockerImageMetadata { Created = created },
            DockerImageManifests = list.Manifests.Select(m => new ImageManifest
            {
                Digest = m.Digest.ToString(),
                MediaType = m.MediaType,
                ManifestSize = m.Size,
                Architecture = m.Platform?.Architecture ?? "",
                Os = m.Platform?.Os ?? "",
                Variant = m.Platform?.Variant,
            }).ToList(),
        };

    private static ModelImage Build(ImageReference repository, Manifest manifest, bool includeManifest) => new()
    {
        Metadata = new ObjectMeta
        {
            Name = manifest.Digest.ToString(),
            Annotations = new Dictionary<string, string> { [ImageApi.DockerLayersOrderAnnotation] = ImageApi.LayersOrderAscending },
        },
        DockerImageReference = repository.ForDigest(manifest.Digest).Exact(),
        DockerImageMetadataVersion = MetadataVersion,
        DockerImageManifestMediaType = manifest.MediaType,
        DockerImageManifest = includeManifest ? Encoding.UTF8.GetString(manifest.Content.Span) : null,
    };

    private static DockerImageMetadata Metadata(ImageConfigJson json, string id, long size) => new()
    {
        Id = id,
        Parent = json.Parent,
        Comment = json.Comment,
        Created = ParseTime(json.Created),
        Container = json.Container,
        DockerVersion = json.DockerVersion,
        Author = json.Author,
        Architecture = json.Architecture,
        Os = json.Os,
        Variant = json.Variant,
        Size = size,
        Config = json.Config is not { } config ? null : new DockerConfig
        {
            Hostname = config.Hostname,
            User = config.User,
            ExposedPorts = config.ExposedPorts?.ToDictionary(p => p.Key, p => (object)p.Value.Clone()),
            Env = config.Env,
            Cmd = config.Cmd,
            Entrypoint = config.Entrypoint,
            Volumes = config.Volumes?.ToDictionary(v => v.Key, v => (object)v.Value.Clone()),
            WorkingDir = config.WorkingDir,
            Labels = config.Labels,
            StopSignal = config.StopSignal,
        },
    };

    private static DateTimeOffset? ParseTime(string? value) =>
        DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            ? time
            : null;
}
