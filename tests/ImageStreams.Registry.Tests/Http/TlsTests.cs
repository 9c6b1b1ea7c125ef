using ImageStreams.Registry.Client;
using ImageStreams.Registry.Errors;
using ImageStreams.Registry.References;
using ImageStreams.Testing.Http;
using ImageStreams.Testing.Processes;
using static ImageStreams.Registry.Tests.ScriptedFixtures;

namespace ImageStreams.Registry.Tests.Http;

public class TlsTests
{
    private const string Alias = "secure.imagestreams.test";

    [Fact]
    public async Task RegistryWithAPrivateCa_IsATlsError_UntilTheCaBundleTrustsIt()
    {
        using var certificates = new TestCertificates();
        using var serverCertificate = certificates.Issue(Alias);
        await using var server = await ScriptedHttpServer.StartAsync(certificate: serverCertificate);
        var bytes = OciManifest();
        server.Script("HEAD", ManifestPath, Manifest(bytes));
        using var directory = new TempDirectory();
        var bundle = directory.Combine("ca.pem");
        certificates.WriteAuthorityPem(bundle);
        var reference = ImageReference.Parse($"{Alias}:{server.BaseUri.Port}/team/app:v1");
        using var untrusting = TestClients.Create(o => o.ConnectCallback = TestClients.ConnectAliasToLoopback(Alias));
        using var trusting = TestClients.Create(o =>
        {
            o.ConnectCallback = TestClients.ConnectAliasToLoopback(Alias);
            o.CaBundlePath = bundle;
        });

        var error = await TestClients.FailsWith(RegistryErrorReason.TlsError, () => untrusting.Manifests.HeadAsync(reference, RegistryAccess.Anonymous));
        var head = await trusting.Manifests.HeadAsync(reference, RegistryAccess.Anonymous);

        Assert.StartsWith($"TLS connection to registry \"{Alias}:{server.BaseUri.Port}\" failed", error.Message);
        Assert.False(error.Transient);
        Assert.Equal(Digest.Compute(bytes), head.Digest);
    }

    [Fact]
    public async Task InsecureFlag_AcceptsAnUntrustedCertificate()
    {
        using var certificates = new TestCertificates();
        using var serverCertificate = certificates.Issue(Alias);
        await using var server = await ScriptedHttpServer.StartAsync(certificate: serverCertificate);
        var bytes = OciManifest();
        server.Script("HEAD", ManifestPath, Manifest(bytes));
        using var client = TestClients.Create(o => o.ConnectCallback = TestClients.ConnectAliasToLoopback(Alias));

        var head = await client.Manifests.HeadAsync(ImageReference.Parse($"{Alias}:{server.BaseUri.Port}/team/app:v1"), new RegistryAccess { Insecure = true });

        Assert.Equal(Digest.Compute(bytes), head.Digest);
        Assert.Equal("https", server.BaseUri.Scheme);
    }
}
