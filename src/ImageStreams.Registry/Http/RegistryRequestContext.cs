using ImageStreams.Registry.Auth;

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

    /// <summary><c>registry/repository</c>, for the HTTP-only message.</summary>
    public string? RepositoryName { get; init; }

    /// <summary>The repository path the token scope names.</summary>
    public string? Repository { get; init; }

    public RegistryCredential? Credential { get; init; }

    public bool Insecure { get; init; }

    /// <summary>Whether the TLS certificate is checked (false for insecure and loopback registries).</summary>
    public bool VerifyTls { get; init; } = true;

    public RequestKind Kind { get; init; }

    /// <summary>The actions a token must allow on <see cref="Repository"/>: <c>pull</c>, or <c>pull,push</c> for writes.</summary>
    public string Actions { get; init; } = "pull";

    /// <summary>The repository a cross-repository mount reads from; its pull scope is asked for too.</summary>
    public string? MountFrom { get; init; }

    /// <summary>The token scopes, space-separated (the token request repeats <c>scope=</c> for each).</summary>
    public string Scope => $"repository:{Repository}:{Actions}" + (MountFrom is null ? "" : $" repository:{MountFrom}:pull");

    public static RegistryRequestContext? Of(HttpRequestMessage request) =>
        request.Options.TryGetValue(Key, out var context) ? context : null;
}

internal static class HttpRequestMessageExtensions
{
    /// <summary>
    /// A new message for sending again (a message can be sent once). Reads carry no body; writes carry a
    /// <see cref="ReplayableContent"/>, which is opened again for the copy.
    /// </summary>
    public static HttpRequestMessage Copy(this HttpRequestMessage request)
    {
        var copy = new HttpRequestMessage(request.Method, request.RequestUri)
        {
            Version = request.Version,
            VersionPolicy = request.VersionPolicy,
            Content = request.Content switch
            {
                null => null,
                ReplayableContent replayable => replayable.Clone(),
                _ => throw new InvalidOperationException("only a replayable request body can be sent again"),
            },
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
