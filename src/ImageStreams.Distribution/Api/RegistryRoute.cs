namespace ImageStreams.Distribution.Api;

/// <summary>The endpoints of the distribution spec ("Endpoints" table), plus the API version check and the catalog.</summary>
internal enum RouteKind
{
    NotFound,
    Base,
    Catalog,
    Tags,
    Manifest,
    Blob,
    Upload,
    Referrers,
}

/// <summary>
/// One request path below <c>/v2</c>, read from its end: a repository name has slashes, the endpoint parts after it do
/// not, so <c>/a/b/manifests/x</c> is the manifest <c>x</c> of <c>a/b</c> even when a name component is itself
/// "manifests". <see cref="Argument"/> is the tag or digest, the blob or subject digest, or the upload id ("" to start one).
/// Nothing here is validated; the name and argument are checked before they are used.
/// </summary>
internal sealed record RegistryRoute(RouteKind Kind, string Name = "", string Argument = "")
{
    public static RegistryRoute Parse(string path)
    {
        if (path is "" or "/")
        {
            return new RegistryRoute(RouteKind.Base);
        }
        if (path == "/_catalog")
        {
            return new RegistryRoute(RouteKind.Catalog);
        }
        var parts = path.TrimStart('/').Split('/');
        var n = parts.Length;
        if (n >= 4 && parts[n - 3] == "blobs" && parts[n - 2] == "uploads")
        {
            return new RegistryRoute(RouteKind.Upload, Join(parts, n - 3), parts[n - 1]);
        }
        if (n >= 3 && parts[n - 2] == "blobs" && parts[n - 1] == "uploads")
        {
            return new RegistryRoute(RouteKind.Upload, Join(parts, n - 2));
        }
        if (n >= 3 && parts[n - 2] == "tags" && parts[n - 1] == "list")
        {
            return new RegistryRoute(RouteKind.Tags, Join(parts, n - 2));
        }
        if (n >= 3 && parts[n - 2] == "manifests")
        {
            return new RegistryRoute(RouteKind.Manifest, Join(parts, n - 2), parts[n - 1]);
        }
        if (n >= 3 && parts[n - 2] == "referrers")
        {
            return new RegistryRoute(RouteKind.Referrers, Join(parts, n - 2), parts[n - 1]);
        }
        if (n >= 3 && parts[n - 2] == "blobs")
        {
            return new RegistryRoute(RouteKind.Blob, Join(parts, n - 2), parts[n - 1]);
        }
        return new RegistryRoute(RouteKind.NotFound);
    }

    private static string Join(string[] parts, int count) => string.Join('/', parts, 0, count);
}
