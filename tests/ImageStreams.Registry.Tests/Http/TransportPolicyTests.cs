using ImageStreams.Registry.Http;

namespace ImageStreams.Registry.Tests.Http;

public class TransportPolicyTests
{
    [Theory]
    [InlineData("quay.io", false, "https", true)]
    [InlineData("registry.example.com:5000", false, "https", true)]
    [InlineData("10.0.0.5:5000", false, "https", true)]
    [InlineData("quay.io", true, "https,http", false)]
    [InlineData("localhost:5000", false, "https,http", false)]
    [InlineData("127.0.0.1:5000", false, "https,http", false)]
    [InlineData("127.9.9.9", false, "https,http", false)]
    [InlineData("[::1]:5000", false, "https,http", false)]
    public void Decide_UsesVerifiedHttpsUnlessInsecureOrLoopback(string host, bool insecure, string schemes, bool verifyTls)
    {
        var policy = TransportPolicy.Decide(host, insecure);

        Assert.Equal(schemes, string.Join(',', policy.Schemes));
        Assert.Equal(verifyTls, policy.VerifyTls);
        Assert.Equal(schemes.Contains("http,", StringComparison.Ordinal) || schemes.EndsWith(",http", StringComparison.Ordinal), policy.AllowsHttp);
    }
}
