using System.Net;
using ImageStreams.Registry.Errors;

namespace ImageStreams.Registry.Tests.Errors;

public class RegistryExceptionTests
{
    public static TheoryData<RegistryException, string, int, bool> Catalogue => new()
    {
        { RegistryErrors.NotFound("quay.io/a/b:v1"), "NotFound", 404, false },
        { RegistryErrors.Unauthorized("quay.io/a/b:v1"), "Unauthorized", 401, false },
        { RegistryErrors.WrongCredentials("quay.io/a/b:v1"), "Unauthorized", 401, false },
        { RegistryErrors.HttpOnly("quay.io/a/b", "quay.io/a/b:v1"), "BadRequest", 400, false },
        { RegistryErrors.NotV2Registry("quay.io", null), "NotV2Registry", 403, false },
        { RegistryErrors.ContentIntegrity("quay.io/a/b:v1", "x"), "ServiceUnavailable", 503, true },
        { RegistryErrors.UnsupportedManifest("quay.io/a/b:v1", "x/y"), "UnsupportedMediaType", 415, false },
        { RegistryErrors.TooLarge("quay.io/a/b:v1", "manifest", 1), "RequestEntityTooLarge", 413, false },
        { RegistryErrors.TooManyRequests("quay.io", null, TimeSpan.FromSeconds(3)), "TooManyRequests", 429, true },
        { RegistryErrors.ServerError("quay.io", null, HttpStatusCode.BadGateway, null), "ServiceUnavailable", 503, true },
        { RegistryErrors.Timeout("quay.io", null, TimeSpan.FromSeconds(3)), "Timeout", 504, true },
        { RegistryErrors.NetworkError("quay.io", null, "refused"), "ServiceUnavailable", 503, true },
        { RegistryErrors.TlsError("quay.io", null, "untrusted"), "BadRequest", 400, false },
        { RegistryErrors.InvalidResponse("quay.io", null, "garbage"), "ServiceUnavailable", 503, true },
        { RegistryErrors.UnexpectedStatus("quay.io", null, HttpStatusCode.Conflict, null), "BadRequest", 400, false },
    };

    [Theory]
    [MemberData(nameof(Catalogue))]
    public void EveryReason_MapsToAStatusReasonCodeAndRetryability(RegistryException error, string reason, int code, bool transient)
    {
        var status = error.ToStatus();

        Assert.Equal(reason, status.Reason);
        Assert.Equal(code, status.Code);
        Assert.Equal("Failure", status.State);
        Assert.Equal(error.Message, status.Message);
        Assert.Equal(transient, error.Transient);
        Assert.DoesNotContain("internal error", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void TooManyRequests_StatusCarriesRetryAfterSeconds()
    {
        var status = RegistryErrors.TooManyRequests("docker.io", "docker.io/library/busybox:latest", TimeSpan.FromSeconds(12.2)).ToStatus();

        Assert.Equal(13, status.Details!.RetryAfterSeconds);
    }

    [Fact]
    public void NotFound_StatusNamesTheRemoteImage()
    {
        var status = RegistryErrors.NotFound("quay.io/a/b:v1").ToStatus();

        Assert.Equal("dockerimage.image.openshift.io \"quay.io/a/b:v1\" not found", status.Message);
        Assert.Equal("quay.io/a/b:v1", status.Details!.Name);
        Assert.Equal("image.openshift.io", status.Details.Group);
    }
}
