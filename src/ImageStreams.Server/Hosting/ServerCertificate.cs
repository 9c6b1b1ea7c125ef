using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ImageStreams.Server.Hosting;

/// <summary>
/// The certificate the server serves TLS with: the PEM files of <c>--tls-cert-file</c>/<c>--tls-private-key-file</c>, else,
/// when listening beyond loopback, a self-signed one kept in <c>&lt;data-dir&gt;/tls/</c> (made on first need, reused after)
/// that clients trust with <c>isctl login --certificate-authority=&lt;data-dir&gt;/tls/server.crt</c>. Loopback stays plain
/// HTTP unless <see cref="ServerOptions.Tls"/> asks for HTTPS.
/// </summary>
internal static class ServerCertificate
{
    public const string Directory = "tls";
    public const string CertificateFile = "server.crt";
    public const string KeyFile = "server.key";

    /// <returns>The certificate and, when generated, the path of its PEM file; null for plain HTTP.</returns>
    public static (X509Certificate2 Certificate, string? GeneratedPath)? Load(ServerOptions options, ListenAddress listen)
    {
        if (!string.IsNullOrEmpty(options.TlsCertFile))
        {
            try
            {
                return (X509Certificate2.CreateFromPemFile(options.TlsCertFile, options.TlsPrivateKeyFile), null);
            }
            catch (Exception e) when (e is CryptographicException or IOException or ArgumentException)
            {
                throw new ArgumentException($"--tls-cert-file/--tls-private-key-file cannot be used: {e.Message}", e);
            }
        }
        if (IPAddress.IsLoopback(listen.Address) && !options.Tls)
        {
            return null;
        }
        var directory = Path.Combine(options.DataDir, Directory);
        var certificatePath = Path.Combine(directory, CertificateFile);
        var keyPath = Path.Combine(directory, KeyFile);
        if (!File.Exists(certificatePath) || !File.Exists(keyPath))
        {
            Generate(options, listen, directory, certificatePath, keyPath);
        }
        return (X509Certificate2.CreateFromPemFile(certificatePath, keyPath), Path.GetFullPath(certificatePath));
    }

    private static void Generate(ServerOptions options, ListenAddress listen, string directory, string certificatePath, string keyPath)
    {
        System.IO.Directory.CreateDirectory(directory);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=imagestreams", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        if (Environment.MachineName is { Length: > 0 } machine)
        {
            names.AddDnsName(machine.ToLowerInvariant());
        }
        if (!listen.Address.Equals(IPAddress.Any) && !listen.Address.Equals(IPAddress.IPv6Any))
        {
            names.AddIpAddress(listen.Address);
        }
        if (options.RegistryHostname is { Length: > 0 } registry)
        {
            var host = registry.StartsWith('[') ? registry[1..registry.IndexOf(']', StringComparison.Ordinal)] : registry.Split(':')[0];
            if (IPAddress.TryParse(host, out var ip))
            {
                names.AddIpAddress(ip);
            }
            else
            {
                names.AddDnsName(host);
            }
        }
        request.CertificateExtensions.Add(names.Build());
        // Its own authority, so the one file is what clients trust.
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyCertSign, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(5));
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(keyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
    }
}
