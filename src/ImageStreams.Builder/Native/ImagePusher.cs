using ImageStreams.Registry.Client;
using ImageStreams.Registry.Errors;
using ImageStreams.Registry.Manifests;
using ImageStreams.Registry.References;

namespace ImageStreams.Builder.Native;

/// <summary>
/// A layer of the build: its descriptor and diff ID, and how to get its file (written already, or written on demand
/// when the layer cache knew its digest and the registry turns out to lack it).
/// </summary>
internal sealed record BuiltLayer(Descriptor Descriptor, Digest DiffId, Func<string> File);

/// <summary>What was pushed: the manifest's descriptor and the bytes that went over the wire for blobs.</summary>
internal sealed record PushOutcome(Descriptor Manifest, long BytesUploaded);

/// <summary>
/// Pushes a built image: base layers are mounted from the base's repository when both are on one registry (so a
/// rebase moves no layer data) or copied chunk by chunk otherwise; built layers already in the output repository
/// are reused (one HEAD); then the config and the manifest.
/// </summary>
internal sealed class ImagePusher(IRegistryClient client, BuilderOptions options)
{
    public async Task<PushOutcome> PushAsync(
        ImageReference output, RegistryAccess outputAccess, ImageReference? baseImage, RegistryAccess baseAccess,
        IReadOnlyList<Descriptor> baseLayers, IReadOnlyList<BuiltLayer> builtLayers, byte[] config, string configMediaType,
        byte[] manifest, string manifestMediaType, bool noCache, TextWriter log, CancellationToken cancellationToken)
    {
        long uploaded = 0;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.PushConcurrency, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(baseLayers.DistinctBy(l => l.Digest), parallel, async (layer, token) =>
        {
            var bytes = await PushBaseLayerAsync(output, outputAccess, baseImage!, baseAccess, layer, log, token).ConfigureAwait(false);
            Interlocked.Add(ref uploaded, bytes);
        }).ConfigureAwait(false);
        await Parallel.ForEachAsync(builtLayers.DistinctBy(l => l.Descriptor.Digest), parallel, async (layer, token) =>
        {
            if (!noCache && await ExistsAsync(output, layer.Descriptor.Digest, outputAccess, token).ConfigureAwait(false))
            {
                Log(log, $"--> Using layer {layer.Descriptor.Digest} already in {output.Name}");
                return;
            }
            var path = layer.File();
            await client.Blobs.UploadAsync(output, layer.Descriptor, () => System.IO.File.OpenRead(path), outputAccess, token).ConfigureAwait(false);
            Interlocked.Add(ref uploaded, layer.Descriptor.Size);
            Log(log, $"--> Pushed layer {layer.Descriptor.Digest} ({layer.Descriptor.Size} bytes)");
        }).ConfigureAwait(false);

        var configDescriptor = new Descriptor(configMediaType, Digest.Compute(config), config.Length);
        if (!await ExistsAsync(output, configDescriptor.Digest, outputAccess, cancellationToken).ConfigureAwait(false))
        {
            await client.Blobs.UploadAsync(output, configDescriptor, () => new MemoryStream(config, writable: false), outputAccess, cancellationToken).ConfigureAwait(false);
            uploaded += config.Length;
        }
        var pushed = await client.Manifests.PutAsync(output, manifestMediaType, manifest, outputAccess, cancellationToken).ConfigureAwait(false);
        return new PushOutcome(pushed, uploaded);
    }

    private async Task<long> PushBaseLayerAsync(
        ImageReference output, RegistryAccess outputAccess, ImageReference baseImage, RegistryAccess baseAccess, Descriptor layer, TextWriter log, CancellationToken cancellationToken)
    {
        var sameRegistry = string.Equals(baseImage.RegistryHost, output.RegistryHost, StringComparison.OrdinalIgnoreCase);
        if (sameRegistry && baseImage.Repository == output.Repository)
        {
            return 0;
        }
        if (sameRegistry)
        {
            if (await client.Blobs.MountAsync(output, layer.Digest, baseImage, outputAccess, cancellationToken).ConfigureAwait(false))
            {
                Log(log, $"--> Mounted base layer {layer.Digest} from {baseImage.Name}");
                return 0;
            }
        }
        else if (await ExistsAsync(output, layer.Digest, outputAccess, cancellationToken).ConfigureAwait(false))
        {
            return 0;
        }
        await using var content = await client.Blobs.OpenAsync(baseImage, layer.Digest, baseAccess, cancellationToken).ConfigureAwait(false);
        await client.Blobs.UploadChunkedAsync(output, layer, content.Content, options.CopyChunkBytes, outputAccess, cancellationToken).ConfigureAwait(false);
        Log(log, $"--> Copied base layer {layer.Digest} ({layer.Size} bytes) from {baseImage.Name}");
        return layer.Size;
    }

    private async Task<bool> ExistsAsync(ImageReference repository, Digest digest, RegistryAccess access, CancellationToken cancellationToken)
    {
        try
        {
            await client.Blobs.HeadAsync(repository, digest, access, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RegistryException ex) when (ex.Reason == RegistryErrorReason.NotFound)
        {
            return false;
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
