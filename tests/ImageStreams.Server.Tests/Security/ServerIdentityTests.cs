using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using ImageStreams.Registry.Auth;
using ImageStreams.Server.Hosting;
using ImageStreams.Server.Tests.Support;
using ImageStreams.Testing.Processes;
using Microsoft.Extensions.DependencyInjection;

namespace ImageStreams.Server.Tests.Security;

public sealed class ServerIdentityTests
{
    [Fact]
    public async Task InProcessClients_GetCredentialsTheRegistryAccepts_ForThisRegistryOnly()
    {
        await using var server = await TestServer.StartAsync();
        await server.CreateNamespaceAsync("team-a");
        var credentials = server.Server.Services.GetRequiredService<IIntegratedRegistryCredentials>();

        var credential = credentials.Resolve(server.HostPort, "team-a/app");
        var elsewhere = credentials.Resolve("quay.io", "team-a/app");
        using var client = server.ClientFor(null);
        using var start = new HttpRequestMessage(HttpMethod.Post, "/v2/team-a/app/blobs/uploads/");
        start.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{credential!.Username}:{credential.Password}")));
        using var upload = await client.SendAsync(start);
        using var anonymous = await client.PostAsync("/v2/team-a/app/blobs/uploads/", null);

        Assert.Equal(server.HostPort, credentials.RegistryHost);
        Assert.Null(elsewhere);
        Assert.Equal(HttpStatusCode.Accepted, upload.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Fact]
    public void BeyondLoopback_ASelfSignedCertificateIsMadeInTheDataDirectory_AndReused()
    {
        using var data = new TempDirectory("imagestreams-tls");
        var options = new ServerOptions { DataDir = data.Path, Listen = "0.0.0.0:8443" };
        Assert.True(ListenAddress.TryParse(options.Listen, out var listen));

        var (first, path) = ServerCertificate.Load(options, listen)!.Value;
        var (second, _) = ServerCertificate.Load(options, listen)!.Value;
        var loopback = ServerCertificate.Load(options with { Listen = "127.0.0.1:8080" }, new ListenAddress(System.Net.IPAddress.Loopback, 8080));
        var asked = ServerCertificate.Load(options with { Listen = "127.0.0.1:8080", Tls = true }, new ListenAddress(System.Net.IPAddress.Loopback, 8080));

        Assert.Equal(Path.Combine(data.Path, "tls", "server.crt"), path);
        Assert.Equal(first.Thumbprint, second.Thumbprint);
        Assert.True(first.HasPrivateKey);
        Assert.Contains("127.0.0.1", first.GetNameInfo(X509NameType.DnsName, false) + first.Extensions["2.5.29.17"]!.Format(false), StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, (OperatingSystem.IsWindows() ? default : File.GetUnixFileMode(Path.Combine(data.Path, "tls", "server.key"))));
        Assert.Null(loopback);
        Assert.Equal(first.Thumbprint, asked!.Value.Certificate.Thumbprint);
    }

    [Theory]
    [InlineData("cert", null, "--tls-cert-file and --tls-private-key-file go together: give both or neither")]
    [InlineData("/nonexistent/cert.pem", "/nonexistent/key.pem", "--tls-cert-file: no file \"/nonexistent/cert.pem\"")]
    public async Task InconsistentTlsFiles_StopTheStart_WithAClearMessage(string? certificate, string? key, string message)
    {
        using var data = new TempDirectory("imagestreams-tls-bad");
        var options = new ServerOptions { DataDir = data.Path, Listen = "127.0.0.1:0", TlsCertFile = certificate, TlsPrivateKeyFile = key };

        var error = await Assert.ThrowsAsync<ArgumentException>(() => ImageStreamsServer.StartAsync(options));

        Assert.Equal(message, error.Message);
    }
}
