using ImageStreams.Model.Meta;
using ImageStreams.Resources;

namespace ImageStreams.Server.Api;

/// <summary>The handler serving each resource: the built-in ones, replaced or joined by handlers registered as services.</summary>
internal sealed class ResourceHandlers
{
    private readonly Dictionary<ResourceType, IResourceHandler> _handlers = [];

    public ResourceHandlers(ResourceSet resources, IEnumerable<IResourceHandler> registered)
    {
        foreach (var handler in resources.Handlers.Concat(registered))
        {
            _handlers[handler.Type] = handler;
        }
    }

    public IResourceHandler? Find(ResourceType type) => _handlers.GetValueOrDefault(type);
}
