using System.Text.Json.Nodes;
using ImageStreams.Model.Image;
using ImageStreams.Model.Meta;
using ImageStreams.Model.Serialization;
using ImageStreams.Registry.Policy;
using ImageStreams.Registry.References;
using ImageStreams.Resources;

namespace ImageStreams.Controllers.Import;

/// <summary>
/// The API face of imports: <c>POST .../imagestreamimports</c> (create only, as in OpenShift). An image from a registry
/// the access policy refuses fails the whole request with 403 Forbidden before anything is fetched.
/// </summary>
public sealed class ImageStreamImportHandler(ImageStreamImporter importer, RegistryAccessPolicy policy) : IResourceHandler
{
    public ResourceType Type => ResourceTypes.ImageStreamImports;

    public async ValueTask<JsonObject> CreateAsync(string? ns, JsonObject body, WriteOptions options, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(ns))
        {
            throw ApiErrors.BadRequest("an image stream import needs a namespace");
        }
        var request = ResourceBodies.Decode<ImageStreamImport>(Type, body, options.StrictFields);
        foreach (var (from, insecure) in Sources(request))
        {
            if (ImageReference.TryParse(from, out var reference) && policy.Refusal(reference, insecure) is { } refusal)
            {
                throw ApiErrors.Forbidden($"{Type.GroupResource} \"{request.Metadata.Name}\" is forbidden: {refusal.Message}");
            }
        }
        if (options.DryRun)
        {
            request = request with { Spec = request.Spec with { Import = false } };
        }
        var result = await importer.ImportAsync(ns, request, cancellationToken).ConfigureAwait(false);
        return ResourceJson.ToNode(result);
    }

    private static IEnumerable<(string? From, bool Insecure)> Sources(ImageStreamImport request) =>
        (request.Spec.Images ?? []).Select(i => (i.From.Name, i.ImportPolicy.Insecure))
            .Concat(request.Spec.Repository is { } repository ? [(repository.From.Name, repository.ImportPolicy.Insecure)] : []);
}
