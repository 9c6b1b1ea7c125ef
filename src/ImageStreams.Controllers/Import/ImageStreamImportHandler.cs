using System.Text.Json.Nodes;
using ImageStreams.Model.Image;
using ImageStreams.Model.Meta;
using ImageStreams.Model.Serialization;
using ImageStreams.Resources;

namespace ImageStreams.Controllers.Import;

/// <summary>The API face of imports: <c>POST .../imagestreamimports</c> (create only, as in OpenShift).</summary>
public sealed class ImageStreamImportHandler(ImageStreamImporter importer) : IResourceHandler
{
    public ResourceType Type => ResourceTypes.ImageStreamImports;

    public async ValueTask<JsonObject> CreateAsync(string? ns, JsonObject body, WriteOptions options, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(ns))
        {
            throw ApiErrors.BadRequest("an image stream import needs a namespace");
        }
        var request = ResourceBodies.Decode<ImageStreamImport>(Type, body, options.StrictFields);
        if (options.DryRun)
        {
            request = request with { Spec = request.Spec with { Import = false } };
        }
        var result = await importer.ImportAsync(ns, request, cancellationToken).ConfigureAwait(false);
        return ResourceJson.ToNode(result);
    }
}
