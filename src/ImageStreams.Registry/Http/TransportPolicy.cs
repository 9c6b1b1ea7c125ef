using ImageStreams.Registry.References;

namespace ImageStreams.Registry.Http;

/// <summary>How to reach a registry: the schemes to try in order and whether TLS certificates are verified.</summary>
public sealed record TransportPolicy(IReadOnlyList<string> Schemes, bool VerifyTls)
{
    private static readonly TransportPolicy Secure = new(["https"], VerifyTls: true);
    private static readonly TransportPolicy Lenient = new(["https", "http"], VerifyTls: false);

    /// <summary>Whether plain HTTP may be used at all.</summary>
    public bool AllowsHttp => Schemes.Contains("http");

    /// <summary>
    /// HTTPS with verified certificates by default. As Docker does, registries marked insecure and registries on
    /// loopback (localhost, 127.0.0.0/8, ::1) are tried over HTTPS without verification, then over plain HTTP.
    /// </summary>
    public static TransportPolicy Decide(string registryHost, bool insecure) =>
        insecure || ImageReference.IsLoopback(registryHost) ? Lenient : Secure;
}
