using System.Text.Json;
using System.Text.RegularExpressions;
using ImageStreams.Registry.Errors;
using ImageStreams.Registry.Manifests;
using ImageStreams.Registry.References;

namespace ImageStreams.Registry.Client;

internal sealed partial class TagOperations(RegistryConnection connection) : ITagOperations
{
    public async Task<IReadOnlyList<string>> ListAsync(ImageReference repository, RegistryAccess access, CancellationToken cancellationToken = default)
    {
        var context = RegistryConnection.Context(repository, access) with { Reference = repository.Name };
        var limit = connection.Options.MaxTagListPageBytes;
        var tags = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var visited = new HashSet<string>(StringComparer.Ordinal);
        string? next = $"v2/{RegistryConnection.EscapedRepository(repository)}/tags/list";
        for (var page = 0; next is not null && page < connection.Options.MaxTagListPages && visited.Add(next); page++)
        {
            using var response = await connection.SendAsync(context, HttpMethod.Get, next, ["application/json"], cancellationToken).ConfigureAwait(false);
            var body = await connection.ReadAsync(response, limit, () => RegistryErrors.TooLarge(repository.Name, "tag list page", limit), context, cancellationToken).ConfigureAwait(false);
            TagListJson? list;
            try
            {
                list = JsonSerializer.Deserialize(body, RegistryJsonContext.Default.TagListJson);
            }
            catch (JsonException ex)
            {
                throw RegistryErrors.InvalidResponse(context.Registry, context.Reference, $"the tag list is not valid JSON: {ex.Message}");
            }
            foreach (var tag in list?.Tags ?? [])
            {
                if (seen.Add(tag))
                {
                    tags.Add(tag);
                }
            }
            next = NextPage(response);
        }
        return tags;
    }

    // RFC 5988 Link: </v2/name/tags/list?last=x&n=100>; rel="next". Only same-registry links are followed.
    private static string? NextPage(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Link", out var values))
        {
            return null;
        }
        foreach (var value in values)
        {
            var match = NextLink().Match(value);
            if (!match.Success)
            {
                continue;
            }
            var target = new Uri(response.RequestMessage!.RequestUri!, match.Groups["url"].Value);
            return target.Authority == response.RequestMessage.RequestUri!.Authority ? target.PathAndQuery : null;
        }
        return null;
    }

    [GeneratedRegex("""<(?<url>[^>]+)>\s*;[^,]*rel\s*=\s*"?next"?""", RegexOptions.IgnoreCase)]
    private static partial Regex NextLink();
}
