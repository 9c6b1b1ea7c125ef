using System.Net;
using ImageStreams.Registry.Client;
using ImageStreams.Registry.Errors;
using ImageStreams.Registry.Policy;
using ImageStreams.Registry.References;
using ImageStreams.Testing.Http;
using static ImageStreams.Registry.Tests.ScriptedFixtures;

namespace ImageStreams.Registry.Tests.Policy;

/// <summary>Allowed, blocked and insecure registries, and the addresses no registry can send the client to.</summary>
public class RegistryAccessPolicyTests
{
    private const string Alias = "registry.test";

    private static RegistryAccessPolicy Policy(string? allowed = null, string? blocked = null, string? insecure = null) => new()
    {
        Allowed = RegistryPattern.ParseList(allowed),
        Blocked = RegistryPattern.ParseList(blocked),
        Insecure = RegistryPattern.ParseList(insecure),
    };

    [Theory]
    [InlineData("quay.io", "quay.io", "team/app", true)]
    [InlineData("quay.io", "quay.io:443", "team/app", true)]
    [InlineData("quay.io:5000", "quay.io", "team/app", false)]
    [InlineData("*.example.com", "registry.example.com:5000", "app", true)]
    [InlineData("*.example.com", "example.com", "app", false)]
    [InlineData("*.example.com", "evil-example.com", "app", false)]
    [InlineData("quay.io/team", "quay.io", "team/app", true)]
    [InlineData("quay.io/team", "quay.io", "teamster/app", false)]
    [InlineData("registry-1.docker.io", "docker.io", "library/busybox", true)]
    [InlineData("[::1]:5000", "[::1]:5000", "app", true)]
    public void Patterns_MatchHostPortAndPathPrefix(string pattern, string registry, string repository, bool matches) =>
        Assert.Equal(matches, RegistryPattern.Parse(pattern).Matches(registry, repository));

    [Theory]
    [InlineData("https://quay.io")]
    [InlineData("quay.io:http")]
    [InlineData("*")]
    [InlineData("a*.example.com")]
    [InlineData("quay io")]
    public void BadPatterns_AreFormatErrorsThatShowTheForm(string pattern)
    {
        var error = Assert.Throws<FormatException>(() => RegistryPattern.Parse(pattern));
        Assert.Contains("host[:port][/path]", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("169.254.169.254", true)]
    [InlineData("169.254.0.1", true)]
    [InlineData("fe80::1", true)]
    [InlineData("fd00:ec2::254", true)]
    [InlineData("100.100.100.200", true)]
    [InlineData("0.0.0.0", true)]
    [InlineData("::ffff:169.254.169.254", true)]
    [InlineData("127.0.0.1", false)]
    [InlineData("10.1.2.3", false)]
    [InlineData("2001:db8::1", false)]
    public void LinkLocalMetadataAndUnspecifiedAddresses_AreRefused(string address, bool refused) =>
        Assert.Equal(refused, RegistryAccessPolicy.RefuseAddress(IPAddress.Parse(address)) is not null);

    [Fact]
    public async Task BlockedRegistry_IsRefusedBeforeAnyRequest()
    {
        await using var server = await ScriptedHttpServer.StartAsync();
        using var client = TestClients.Create(o => o.AccessPolicy = Policy(blocked: server.Authority));

        var error = await TestClients.FailsWith(RegistryErrorReason.Forbidden, () => client.Manifests.HeadAsync(Reference(server), RegistryAccess.Anonymous));

        Assert.Contains($"registry \"{server.Authority}\" is blocked by the server's import policy", error.Message, StringComparison.Ordinal);
        Assert.Equal(403, error.StatusCode);
        Assert.Equal("Forbidden", error.StatusReason);
        Assert.False(error.Transient);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task RegistryOutsideTheAllowedList_IsRefused_AndOneInsideIsReached()
    {
        await using var server = await ScriptedHttpServer.StartAsync();
        server.Script("GET", "/v2/", ScriptedResponse.WithStatus(200));
        server.Script("HEAD", ManifestPath, Manifest(OciManifest()));
        using var strict = TestClients.Create(o => o.AccessPolicy = Policy(allowed: "quay.io,*.example.com"));
        using var open = TestClients.Create(o => o.AccessPolicy = Policy(allowed: $"quay.io,{server.Authority}/team"));

        var error = await TestClients.FailsWith(RegistryErrorReason.Forbidden, () => strict.Manifests.HeadAsync(Reference(server), RegistryAccess.Anonymous));
        await open.Manifests.HeadAsync(Reference(server), RegistryAccess.Anonymous);
        await TestClients.FailsWith(RegistryErrorReason.Forbidden,
            () => open.Manifests.HeadAsync(Reference(server, "other/app:v1"), RegistryAccess.Anonymous));

        Assert.Contains("is not allowed by the server's import policy (allowed: quay.io, *.example.com)", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, server.CountRequests("HEAD", ManifestPath));
    }

    [Fact]
    public async Task InsecureAccess_IsRefusedUnlessTheRegistryIsLoopbackOrListed()
    {
        await using var server = await ScriptedHttpServer.StartAsync();
        server.Script("GET", "/v2/", ScriptedResponse.WithStatus(200));
        server.Script("HEAD", ManifestPath, Manifest(OciManifest()));
        var aliased = ImageReference.Parse($"{Alias}:{server.BaseUri.Port}/team/app:v1");
        using var unlisted = TestClients.Create(o =>
        {
            o.AccessPolicy = Policy();
            o.ConnectCallback = TestClients.ConnectAliasToLoopback(Alias);
        });
        using var listed = TestClients.Create(o =>
        {
            o.AccessPolicy = Policy(insecure: Alias);
            o.ConnectCallback = TestClients.ConnectAliasToLoopback(Alias);
        });

        var error = await TestClients.FailsWith(RegistryErrorReason.Forbidden, () => unlisted.Manifests.HeadAsync(aliased, new RegistryAccess { Insecure = true }));
        await unlisted.Manifests.HeadAsync(Reference(server), new RegistryAccess { Insecure = true });
        await listed.Manifests.HeadAsync(aliased, new RegistryAccess { Insecure = true });

        Assert.Contains("insecure access to registry", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, server.CountRequests("HEAD", ManifestPath));
    }

    [Fact]
    public async Task TokenRealmAtTheMetadataAddress_IsRefusedWithoutATokenRequest()
    {
        await using var server = await ScriptedHttpServer.StartAsync();
        Challenge(server, "http://169.254.169.254/latest/meta-data/iam/security-credentials/");
        using var client = TestClients.Create();

        var error = await TestClients.FailsWith(RegistryErrorReason.Forbidden, () => client.Manifests.HeadAsync(Reference(server), RegistryAccess.Anonymous));

        Assert.Contains("sent the token realm \"http://169.254.169.254/", error.Message, StringComparison.Ordinal);
        Assert.Contains("link-local", error.Message, StringComparison.Ordinal);
        Assert.False(error.Transient);
    }

    [Fact]
    public async Task TokenRealmOnABlockedHost_IsRefused()
    {
        await using var server = await ScriptedHttpServer.StartAsync();
        Challenge(server, "https://auth.internal.example/token");
        using var client = TestClients.Create(o => o.AccessPolicy = Policy(blocked: "*.internal.example"));

        var error = await TestClients.FailsWith(RegistryErrorReason.Forbidden, () => client.Manifests.HeadAsync(Reference(server), RegistryAccess.Anonymous));

        Assert.Contains("host \"auth.internal.example\" is blocked", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BlobRedirectToABlockedHost_IsRefusedBeforeConnecting()
    {
        await using var server = await ScriptedHttpServer.StartAsync();
        await using var target = await ScriptedHttpServer.StartAsync();
        var blob = Digest.Compute(Config);
        server.Script("GET", "/v2/", ScriptedResponse.WithStatus(200));
        server.Script("GET", $"/v2/team/app/blobs/{blob}", Redirect($"http://{Alias}:{target.BaseUri.Port}/blob"));
        target.Script("GET", "/blob", ScriptedResponse.Bytes(Config, "application/octet-stream"));
        using var client = TestClients.Create(o =>
        {
            o.AccessPolicy = Policy(blocked: Alias);
            o.ConnectCallback = TestClients.ConnectAliasToLoopback(Alias);
        });

        var error = await TestClients.FailsWith(RegistryErrorReason.Forbidden, () => client.Blobs.OpenAsync(Reference(server), blob, RegistryAccess.Anonymous));

        Assert.Contains($"host \"{Alias}\" is blocked", error.Message, StringComparison.Ordinal);
        Assert.Empty(target.Requests);
        Assert.Equal(1, server.CountRequests("GET", $"/v2/team/app/blobs/{blob}"));
    }

    [Fact]
    public async Task RedirectToALinkLocalAddress_IsRefused_AndAnAllowedRedirectIsFollowed()
    {
        await using var server = await ScriptedHttpServer.StartAsync();
        await using var cdn = await ScriptedHttpServer.StartAsync();
        var blob = Digest.Compute(Config);
        server.Script("GET", "/v2/", ScriptedResponse.WithStatus(200));
        server.Script("GET", "/v2/team/app/manifests/metadata", Redirect("http://169.254.169.254/latest/meta-data/"));
        server.Script("GET", $"/v2/team/app/blobs/{blob}", Redirect($"{cdn.BaseUri}blob"));
        cdn.Script("GET", "/blob", ScriptedResponse.Bytes(Config, "application/octet-stream"));
        using var client = TestClients.Create();

        var error = await TestClients.FailsWith(RegistryErrorReason.Forbidden,
            () => client.Manifests.GetAsync(Reference(server, "team/app:metadata"), RegistryAccess.Anonymous));
        await using var content = await client.Blobs.OpenAsync(Reference(server), blob, RegistryAccess.Anonymous);

        Assert.Contains("address 169.254.169.254 is link-local", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, cdn.CountRequests("GET", "/blob"));
    }

    private static ScriptedResponse Redirect(string location) =>
        ScriptedResponse.WithStatus(307) with { Headers = new Dictionary<string, string> { ["Location"] = location } };

    private static void Challenge(ScriptedHttpServer server, string realm) =>
        server.Script("GET", "/v2/", ScriptedResponse.WithStatus(401) with
        {
            Headers = new Dictionary<string, string> { ["WWW-Authenticate"] = $"Bearer realm=\"{realm}\",service=\"scripted\"" },
        });
}
