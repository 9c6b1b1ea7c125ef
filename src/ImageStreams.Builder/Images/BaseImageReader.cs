using System.Text.Json;
using System.Text.Json.Nodes;
using ImageStreams.Registry.Client;
using ImageStreams.Registry.Errors;
using ImageStreams.Registry.Manifests;
using ImageStreams.Registry.References;

namespace ImageStreams.Builder.Images;

/// <summary>A base image as a build sees it: pinned by digest, its image manifest (the platform's, for a list) and its config.</summary>
internal sealed record BaseImage(ImageReference Reference, Schema2Manifest Manifest, JsonObject Config)
{
    /// <summary>A label of the base's config; null when absent.</summary>
    public string? Label(string name) => Config["config"]?["Labels"]?[name]?.GetValue<string>();

    /// <summary>The user the base runs as; empty when unset.</summary>
    public string User => Config["config"]?[nameof(User)]?.GetValue<string>() ?? "";
}

/// <summary>Reads a base image's manifest and config (never its layers); for a manifest list, the asked platform's image.</summary>
internal sealed class BaseImageReader(IRegistryClient client)
{
    public async Task<BaseImage> ReadAsync(ImageReference named, RegistryAccess access, Platform platform, TextWriter log, CancellationToken cancellationToken)
    {
        try
        {
            var manifest = await client.Manifests.GetAsync(named, access, cancellationToken).ConfigureAwait(false);
            var resolved = named.ForDigest(named.Digest ?? manifest.Digest);
            if (manifest is ManifestList list)
            {
                var child = PlatformSelector.Select(list.Manifests, platform, null);
                manifest = await client.Manifests.GetAsync(named.ForDigest(child.Digest), access, cancellationToken).ConfigureAwait(false);
            }
            if (manifest is not Schema2Manifest image)
            {
                throw new BuildException(BuildReasons.PullBuilderImageFailed, $"the base image {named.Exact()} has a {manifest.MediaType} manifest; only OCI and Docker schema 2 images can be built on");
            }
            var configBytes = await client.Blobs.GetAsync(named, image.Config, access, cancellationToken).ConfigureAwait(false);
            var config = JsonNode.Parse(configBytes.Span) as JsonObject
                ?? throw new BuildException(BuildReasons.PullBuilderImageFailed, $"the config of base image {named.Exact()} is not a JSON object");
            var diffIds = ImageConfig.DiffIds(config);
            if (diffIds.Count != image.Layers.Count)
            {
                throw new BuildException(BuildReasons.PullBuilderImageFailed,
                    $"the base image {named.Exact()} lists {image.Layers.Count} layers but its config {diffIds.Count} diff IDs");
            }
            Log(log, $"--> Base {resolved.Exact()} ({image.Layers.Count} layers, {image.Layers.Sum(l => l.Size)} bytes, not downloaded)");
            return new BaseImage(resolved, image, config);
        }
        catch (RegistryException ex)
        {
            throw new BuildException(BuildReasons.PullBuilderImageFailed, $"pulling base image {named.Exact()}: {ex.Message}", ex);
        }
        catch (JsonException ex)
        {
            throw new BuildException(BuildReasons.PullBuilderImageFailed, $"the config of base image {named.Exact()} is not valid JSON: {ex.Message}", ex);
        }
    }


    private static void Log(TextWriter log, string line)
    {
        lock (log)
        {
            log.WriteLine(line);
        }
    }
}
