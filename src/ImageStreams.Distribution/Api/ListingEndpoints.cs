using System.Globalization;
using System.Text.Json.Nodes;
using ImageStreams.Distribution.Errors;
using ImageStreams.Distribution.Repositories;
using ImageStreams.Distribution.Storage;
using ImageStreams.Resources;
using Microsoft.AspNetCore.Http;

namespace ImageStreams.Distribution.Api;

/// <summary>
/// <c>/v2/&lt;name&gt;/tags/list</c> and <c>/v2/_catalog</c> (distribution spec "Listing tags", and distribution's catalog):
/// sorted lexically, paged by <c>n</c> and <c>last</c> with a <c>Link: &lt;...&gt;; rel="next"</c> header while more remain.
/// A repository's tags are its stream's status tags that have an image; the catalog lists every stream. Referrers are
/// listed here too.
/// </summary>
internal sealed class ListingEndpoints(StreamHistory streams, Referrers referrers, ResourceSet resources, DistributionOptions options)
{
    private const string OciIndex = "application/vnd.oci.image.index.v1+json";

    public async Task TagsAsync(HttpContext context, RepositoryName repository)
    {
        var stream = await streams.FindStreamAsync(repository, context.RequestAborted).ConfigureAwait(false)
                     ?? throw DistributionErrors.NameUnknown(repository.ToString());
        var tags = (stream.Status?.Tags ?? []).Where(t => t.Items.Count > 0).Select(t => t.Tag);
        var page = Page(context, tags, $"/v2/{repository}/tags/list");
        await RegistryHttp.WriteJsonAsync(context, StatusCodes.Status200OK, new JsonObject
        {
            ["name"] = repository.ToString(),
            ["tags"] = new JsonArray([.. page.Select(t => JsonValue.Create(t))]),
        }).ConfigureAwait(false);
    }

    public async Task CatalogAsync(HttpContext context)
    {
        var list = await resources.ImageStreams.ListAsync(null, cancellationToken: context.RequestAborted).ConfigureAwait(false);
        var names = list.Items.Select(s => $"{s.Metadata.Namespace}/{s.Metadata.Name}");
        var page = Page(context, names, "/v2/_catalog");
        await RegistryHttp.WriteJsonAsync(context, StatusCodes.Status200OK, new JsonObject
        {
            ["repositories"] = new JsonArray([.. page.Select(r => JsonValue.Create(r))]),
        }).ConfigureAwait(false);
    }

    /// <summary>
    /// <c>/v2/&lt;name&gt;/referrers/&lt;digest&gt;</c> (distribution spec 1.1 "Listing Referrers"): an OCI index of the manifests
    /// whose subject is the digest, empty when there are none, filtered by <c>artifactType</c> when asked.
    /// </summary>
    public async Task ReferrersAsync(HttpContext context, RepositoryName repository, string argument)
    {
        var subject = RegistryHttp.ParseDigest(argument);
        IEnumerable<JsonObject> found = referrers.List(repository, subject);
        if (context.Request.Query.TryGetValue("artifactType", out var artifactType))
        {
            found = found.Where(d => (string?)d["artifactType"] == artifactType.ToString());
            context.Response.Headers["OCI-Filters-Applied"] = "artifactType";
        }
        await RegistryHttp.WriteJsonAsync(context, StatusCodes.Status200OK, new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = OciIndex,
            ["manifests"] = new JsonArray([.. found]),
        }, OciIndex).ConfigureAwait(false);
    }

    /// <summary>The entries after <c>last</c>, at most <c>n</c> (capped by the options), and the Link to the next page.</summary>
    private List<string> Page(HttpContext context, IEnumerable<string> entries, string path)
    {
        var query = context.Request.Query;
        var size = options.MaxPageEntries;
        if (query.TryGetValue("n", out var n))
        {
            if (!int.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out var asked))
            {
                throw DistributionErrors.PaginationInvalid(n.ToString());
            }
            size = Math.Min(asked, options.MaxPageEntries);
        }
        var last = query["last"].ToString();
        var after = entries.Where(e => string.CompareOrdinal(e, last) > 0).Order(StringComparer.Ordinal).ToList();
        var page = after.Take(size).ToList();
        if (page.Count > 0 && after.Count > page.Count)
        {
            var next = string.Create(CultureInfo.InvariantCulture, $"{path}?n={size}&last={Uri.EscapeDataString(page[^1])}");
            context.Response.Headers.Link = $"<{next}>; rel=\"next\"";
        }
        return page;
    }
}
