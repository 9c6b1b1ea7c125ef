using ImageStreams.Registry.Errors;
using ImageStreams.Registry.Http;
using ImageStreams.Registry.Manifests;
using ImageStreams.Registry.References;

namespace ImageStreams.Registry.Client;

internal sealed class ManifestOperations(RegistryConnection connection) : IManifestOperations
{
    public async Task<Descriptor> HeadAsync(ImageReference reference, RegistryAccess access, CancellationToken cancellationToken = default)
    {
        var context = RegistryConnection.Context(reference, access);
        Digest? digest;
        string mediaType;
        long size;
        using (var response = await connection.SendAsync(context, HttpMethod.Head, PathOf(reference), MediaTypes.AcceptedManifests, cancellationToken).ConfigureAwait(false))
        {
            digest = RegistryConnection.ContentDigest(response, context);
            mediaType = ManifestParser.ContentTypeWithoutParameters(response.Content.Headers.ContentType?.MediaType) ?? "";
            size = response.Content.Headers.ContentLength ?? -1;
        }
        if (digest is not null && reference.Digest is { } pinned && digest != pinned)
        {
            throw RegistryErrors.ContentIntegrity(context.Reference!, $"the registry names the manifest {digest}, not {pinned}");
        }
        if ((digest ?? reference.Digest) is { } known)
        {
            return new Descriptor(mediaType, known, size);
        }
        // Some registries send no digest on HEAD; only the content can tell it then.
        var manifest = await GetAsync(reference, access, cancellationToken).ConfigureAwait(false);
        return manifest.Descriptor;
    }

    public async Task<Manifest> GetAsync(ImageReference reference, RegistryAccess access, CancellationToken cancellationToken = default)
    {
        var context = RegistryConnection.Context(reference, access);
        var limit = connection.Options.MaxManifestBytes;
        using var response = await connection.SendAsync(context, HttpMethod.Get, PathOf(reference), MediaTypes.AcceptedManifests, cancellationToken).ConfigureAwait(false);
        var content = await connection.ReadAsync(response, limit, () => RegistryErrors.TooLarge(context.Reference!, "manifest", limit), context, cancellationToken).ConfigureAwait(false);
        var announced = RegistryConnection.ContentDigest(response, context);
        var expected = reference.Digest ?? announced;
        var source = reference.Digest is not null ? "the requested digest" : "the registry's Docker-Content-Digest";

        Manifest manifest;
        try
        {
            manifest = ManifestParser.Parse(content, response.Content.Headers.ContentType?.ToString(), expected?.Algorithm ?? Digest.Sha256);
        }
        catch (InvalidManifestException ex)
        {
            // Bytes that do not even match their digest are corrupt, whatever they look like.
            if (expected is not null && !expected.Matches(content))
            {
                throw RegistryErrors.ContentIntegrity(context.Reference!, $"the manifest does not match {source} {expected}");
            }
            throw ex.Unsupported
                ? RegistryErrors.UnsupportedManifest(context.Reference!, ex.MediaType, ex.Message)
                : RegistryErrors.InvalidResponse(context.Registry, context.Reference, $"invalid manifest: {ex.Message}");
        }
        if (expected is not null && manifest.Digest != expected)
        {
            throw RegistryErrors.ContentIntegrity(context.Reference!, $"the manifest has digest {manifest.Digest}, not {source} {expected}");
        }
        return manifest;
    }

    public async Task<Descriptor> PutAsync(ImageReference reference, string mediaType, ReadOnlyMemory<byte> content, RegistryAccess access, CancellationToken cancellationToken = default)
    {
        var context = RegistryConnection.Context(reference, access) with { Actions = "pull,push" };
        var digest = Digest.Compute(content.Span);
        if (reference.Digest is { } pinned && pinned != digest)
        {
            throw RegistryErrors.ContentIntegrity(context.Reference!, $"the manifest has digest {digest}, not {pinned}");
        }
        using var response = await connection.SendAsync(
            context, HttpMethod.Put, PathOf(reference), null, ReplayableContent.FromBytes(content, mediaType), cancellationToken).ConfigureAwait(false);
        if (RegistryConnection.ContentDigest(response, context) is { } stored && stored != digest)
        {
            throw RegistryErrors.ContentIntegrity(context.Reference!, $"the registry stored the manifest as {stored}, not {digest}");
        }
        return new Descriptor(mediaType, digest, content.Length);
    }

    private static string PathOf(ImageReference reference) =>
        $"v2/{RegistryConnection.EscapedRepository(reference)}/manifests/{reference.Identifier}";
}
