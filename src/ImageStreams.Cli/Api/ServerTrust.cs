using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ImageStreams.Cli.Api;

/// <summary>How the CLI trusts the server's TLS certificate: the system's authorities, or those of one PEM file (kubeconfig's certificate-authority).</summary>
internal static class ServerTrust
{
    public static HttpClientHandler Handler(string? certificateAuthority)
    {
        var handler = new HttpClientHandler();
        if (string.IsNullOrEmpty(certificateAuthority))
        {
            return handler;
        }
        var roots = new X509Certificate2Collection();
        try
        {
            roots.ImportFromPemFile(certificateAuthority);
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new CliException($"cannot read the certificate authority {certificateAuthority}: {e.Message}", e);
        }
        if (roots.Count == 0)
        {
            throw new CliException($"the certificate authority {certificateAuthority} holds no PEM certificate");
        }
        handler.ServerCertificateCustomValidationCallback = (_, certificate, _, errors) =>
        {
            if (certificate is null || (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0 || (errors & SslPolicyErrors.RemoteCertificateNotAvailable) != 0)
            {
                return false;
            }
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(roots);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            return chain.Build(certificate);
        };
        return handler;
    }
}
