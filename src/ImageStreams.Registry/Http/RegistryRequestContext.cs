using ImageStreams.Registry.Auth;
using ImageStreams.Registry.References;

namespace ImageStreams.Registry.Http;

internal enum RequestKind
{
    /// <summary>A registry API call that may need credentials.</summary>
    Registry,

    /// <summary>GET /v2/: discovers the transport and the auth challenge; sent without credentials.</summary>
    Ping,

    /// <summary>A request to a token server on behalf of a registry request.</summary>
    Token,
}

/// <summary>What the handlers of the pipeline need to know about a request; travels in <see cref="HttpRequestMessage.Options"/>.</summary>
internal sealed record RegistryRequestContext
{
    public static readonly HttpRequestOptionsKey<RegistryRequestContext> Key = new("ImageStreams.Registry.Context");

    /// <summary>The registry as references name it, for messages (<c>docker.io</c>).</summary>
    public required string Registry { get; init; }

    /// <summary>The host the API is served from (<c>registry-1.docker.io</c>).</summary>
    public required string RegistryHost { get; init; }

    /// <summary>The exact image reference, for messages; null for requests about no image.</summary>
    public string? Reference { get; init; }

    /// <summary>The image the request is about, checked against the access policy; null for requests about no image.</summary>
    public ImageReference? Image { get; init; }

    /// <summary><c>registry/repository</c>, for the HTTP-only message.</summary>
    public string? RepositoryName { get; init; }

    /// <summary>The repository path the token scope names.</summary>
    public string? Repository { get; init; }

    public RegistryCredential? Credential { get; init; }

    public bool Insecure { get; init; }

    /// <summary>Whether the TLS certificate is checked (false for insecure and loopback registries).</summary>
    public bool VerifyTls { get; init; } = true;

    public RequestKind Kind { get; init; }

    public string Scope => $"repository:{Repository}:pull";

    public static RegistryRequestContext? Of(HttpRequestMessage request) =>
        request.Options.TryGetValue(Key, out var context) ? context : null;
}

internal static class HttpRequestMessageExtensions
{
    /// <summary>A new message for sending again (a message can be sent once). Registry reads carry no body.</summary>
    public static HttpRequestMessage Copy(this HttpRequestMessage request)
    {
        var copy = new HttpRequestMessage(request.Method, request.RequestUri)
        {
            Version = request.Version,
            VersionPolicy = request.VersionPolicy,
        };
        foreach (var header in request.Headers)
        {
            copy.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }
        foreach (var option in request.Options)
        {
            ((IDictionary<string, object?>)copy.Options)[option.Key] = option.Value;
        }
        return copy;
    }
}
