using ImageStreams.Controllers.Queue;
using ImageStreams.Model.Image;
using ImageStreams.Resources;
using Microsoft.Extensions.Logging;

namespace ImageStreams.Controllers.Streams;

/// <summary>A controller fed by image stream events, keyed by <c>namespace/name</c> of the stream.</summary>
public abstract class ImageStreamController(IResourceClient<ImageStream> streams, TimeProvider time, ILogger logger, int workers)
    : ResourceController<ImageStream>(streams, time, logger, workers)
{
    public static string KeyOf(ImageStream stream) => $"{stream.Metadata.Namespace}/{stream.Metadata.Name}";
}
