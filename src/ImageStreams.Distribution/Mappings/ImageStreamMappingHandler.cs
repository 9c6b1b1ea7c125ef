using System.Text.Json.Nodes;
using ImageStreams.Model.Image;
using ImageStreams.Model.Meta;
using ImageStreams.Model.Serialization;
using ImageStreams.Resources;

namespace ImageStreams.Distribution.Mappings;

/// <summary>
/// The API face of mappings: <c>POST .../namespaces/{ns}/imagestreammappings</c> (create only, as in OpenShift), for
/// writers other than the registry (builders, tools). Answers a Status of success, as OpenShift does.
/// </summary>
public sealed class ImageStreamMappingHandler(ImageStreamMapper mapper) : IResourceHandler
{
    public ResourceType Type => ResourceTypes.ImageStreamMappings;

    public async ValueTask<JsonObject> CreateAsync(string? ns, JsonObject body, WriteOptions options, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(ns))
        {
            throw ApiErrors.BadRequest("an image stream mapping needs a namespace");
        }
        if (options.DryRun)
        {
            throw ApiErrors.BadRequest("dry run is not supported for image stream mappings");
        }
        var mapping = ResourceBodies.Decode<ImageStreamMapping>(Type, body, options.StrictFields);
        await mapper.MapAsync(ns, mapping, cancellationToken).ConfigureAwait(false);
        return ResourceJson.ToNode(new Status { State = Status.Success, Code = 201 });
    }
}
