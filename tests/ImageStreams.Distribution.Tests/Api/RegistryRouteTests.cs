using ImageStreams.Distribution.Api;

namespace ImageStreams.Distribution.Tests.Api;

public sealed class RegistryRouteTests
{
    [Theory]
    [InlineData("", "Base", "", "")]
    [InlineData("/", "Base", "", "")]
    [InlineData("/_catalog", "Catalog", "", "")]
    [InlineData("/ns/app/tags/list", "Tags", "ns/app", "")]
    [InlineData("/ns/app/manifests/latest", "Manifest", "ns/app", "latest")]
    [InlineData("/ns/manifests/manifests/v1", "Manifest", "ns/manifests", "v1")]
    [InlineData("/ns/app/blobs/sha256:abc", "Blob", "ns/app", "sha256:abc")]
    [InlineData("/ns/app/blobs/uploads/", "Upload", "ns/app", "")]
    [InlineData("/ns/app/blobs/uploads", "Upload", "ns/app", "")]
    [InlineData("/ns/app/blobs/uploads/abc", "Upload", "ns/app", "abc")]
    [InlineData("/blobs/uploads/blobs/uploads/", "Upload", "blobs/uploads", "")]
    [InlineData("/ns/app/referrers/sha256:abc", "Referrers", "ns/app", "sha256:abc")]
    [InlineData("/ns/app/unknown/x", "NotFound", "", "")]
    [InlineData("/manifests/x", "NotFound", "", "")]
    public void APath_IsReadFromItsEnd(string path, string kind, string name, string argument)
    {
        Assert.Equal(new RegistryRoute(Enum.Parse<RouteKind>(kind), name, argument), RegistryRoute.Parse(path));
    }
}
