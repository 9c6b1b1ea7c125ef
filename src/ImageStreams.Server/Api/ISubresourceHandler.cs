using ImageStreams.Model.Meta;
using Microsoft.AspNetCore.Http;

namespace ImageStreams.Server.Api;

/// <summary>
/// One subresource path other than status, such as <c>buildconfigs/{name}/instantiate</c>: the endpoint finds the
/// resource and checks the verb, then hands over the whole request (its body may be an upload, its answer a log stream).
/// </summary>
internal interface ISubresourceHandler
{
    ResourceType Type { get; }

    /// <summary>The path segment after the object's name.</summary>
    string Name { get; }

    /// <summary>"create" (POST) or "get" (GET).</summary>
    string Verb { get; }

    Task HandleAsync(HttpContext context, string ns, string name);
}
