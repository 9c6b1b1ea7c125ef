using ImageStreams.Registry.Errors;
using ImageStreams.Registry.Http;
using ImageStreams.Registry.References;

namespace ImageStreams.Registry.Client;

/// <summary>Sends one registry API request: resolves the endpoint, goes through the pipeline, maps failures.</summary>
internal sealed class RegistryConnection(RegistryHttpPipeline pipeline, RegistryEndpoints endpoints, RegistryClientOptions options, TimeProvider time)
{
    public RegistryClientOptions Options => options;

    public TimeProvider Time => time;

    public static RegistryRequestContext Context(ImageReference reference, RegistryAccess access) => new()
    {
        Registry = reference.Registry,
        RegistryHost = reference.RegistryHost,
        Reference = reference.Exact(),
        RepositoryName = reference.Name,
        Repository = reference.Repository,
        Credential = access.Credentials?.Resolve(reference.Registry, reference.Repository),
        Insecure = access.Insecure,
    };

    /// <summary>Sends <paramref name="method"/> to <paramref name="pathAndQuery"/> (relative to the registry root); returns only successful answers.</summary>
    public Task<HttpResponseMessage> SendAsync(
        RegistryRequestContext context, HttpMethod method, string pathAndQuery, IEnumerable<string>? accept, CancellationToken cancellationToken) =>
        SendAsync(context, method, pathAndQuery, accept, null, cancellationToken);

    /// <summary>
    /// Sends <paramref name="method"/> to <paramref name="target"/>: a path relative to the registry root, or an absolute
    /// URL a registry answered with (an upload's Location). A body must be a <see cref="ReplayableContent"/>, so retries and
    /// auth round trips can send it again. Returns only successful answers.
    /// </summary>
    public async Task<HttpResponseMessage> SendAsync(
        RegistryRequestContext context, HttpMethod method, string target, IEnumerable<string>? accept, ReplayableContent? content, CancellationToken cancellationToken)
    {
        try
        {
            var endpoint = await endpoints.ResolveAsync(context, cancellationToken).ConfigureAwait(false);
            var uri = Uri.TryCreate(target, UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https"
                ? absolute
                : new Uri(endpoint.BaseUri, target.TrimStart('/'));
            using var request = new HttpRequestMessage(method, uri) { Content = content };
            foreach (var mediaType in accept ?? [])
            {
                request.Headers.Accept.ParseAdd(mediaType);
            }
            request.Options.Set(RegistryRequestContext.Key, context with { VerifyTls = endpoint.VerifyTls });
            var response = await pipeline.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                return response;
            }
            using (response)
            {
                throw await ResponseErrors.FromResponseAsync(response, context, options, time, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is not RegistryException && !(ex is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            throw TransportErrors.Map(ex, context, options);
        }
    }

    /// <summary>Reads a body of at most <paramref name="limit"/> bytes within the request timeout.</summary>
    public async Task<byte[]> ReadAsync(
        HttpResponseMessage response, long limit, Func<RegistryException> tooLarge, RegistryRequestContext context, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(options.RequestTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            return await ResponseErrors.TryReadBoundedAsync(response, limit, linked.Token).ConfigureAwait(false) ?? throw tooLarge();
        }
        catch (Exception ex) when (ex is not RegistryException && !(ex is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            throw TransportErrors.Map(ex, context, options);
        }
    }

    /// <summary>The Docker-Content-Digest header; null when absent.</summary>
    public static Digest? ContentDigest(HttpResponseMessage response, RegistryRequestContext context)
    {
        if (!response.Headers.TryGetValues("Docker-Content-Digest", out var values))
        {
            return null;
        }
        var value = values.FirstOrDefault()?.Trim();
        return Digest.TryParse(value, out var digest, out var error)
            ? digest
            : throw RegistryErrors.InvalidResponse(context.Registry, context.Reference, $"Docker-Content-Digest header: {error}");
    }

    public static string EscapedRepository(ImageReference reference) =>
        string.Join('/', reference.Repository.Split('/').Select(Uri.EscapeDataString));
}
