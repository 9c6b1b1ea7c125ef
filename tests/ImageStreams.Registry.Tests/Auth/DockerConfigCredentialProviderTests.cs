using System.Text;
using ImageStreams.Registry.Auth;
using ImageStreams.Testing.Processes;

namespace ImageStreams.Registry.Tests.Auth;

public class DockerConfigCredentialProviderTests
{
    [Fact]
    public void DockerConfigJson_AuthField_IsBase64UserColonPassword()
    {
        var provider = Provider(AuthsWithAuthField("quay.io", "robot:pa:ss"));

        Assert.Equal(new RegistryCredential("robot", "pa:ss"), provider.Resolve("quay.io", "org/app"));
        Assert.Null(provider.Resolve("ghcr.io", "org/app"));
    }

    [Fact]
    public void DockerConfigJson_UsernameAndPasswordFields_AreRead()
    {
        var provider = Provider("""{"auths":{"registry.example.com:5000":{"username":"u","password":"p"}}}""");

        Assert.Equal(new RegistryCredential("u", "p"), provider.Resolve("registry.example.com:5000", "a"));
        Assert.Null(provider.Resolve("registry.example.com", "a"));
        Assert.Null(provider.Resolve("registry.example.com:5001", "a"));
    }

    [Fact]
    public void Dockercfg_WithoutAuthsWrapper_AndOldHubKey_MatchesDockerHub()
    {
        var provider = Provider($$$"""{"https://index.docker.io/v1/":{"auth":"{{{Base64("hubuser:hubpass")}}}","email":"x@example.com"}}""");

        Assert.Equal(new RegistryCredential("hubuser", "hubpass"), provider.Resolve("docker.io", "library/busybox"));
    }

    [Fact]
    public void MostSpecificPath_WinsOverTheRegistryEntry()
    {
        var provider = Provider("""
            {"auths":{
              "quay.io":{"username":"any","password":"1"},
              "https://quay.io/team":{"username":"team","password":"2"},
              "quay.io/team/app":{"username":"app","password":"3"}}}
            """);

        Assert.Equal("app", provider.Resolve("quay.io", "team/app")!.Username);
        Assert.Equal("team", provider.Resolve("quay.io", "team/other")!.Username);
        Assert.Equal("any", provider.Resolve("quay.io", "teamwork/app")!.Username);
    }

    [Fact]
    public void WildcardHost_MatchesOneLabel_AndExactHostWinsATie()
    {
        var provider = Provider("""
            {"auths":{
              "*.registry.example":{"username":"wild","password":"1"},
              "eu.registry.example":{"username":"eu","password":"2"}}}
            """);

        Assert.Equal("eu", provider.Resolve("eu.registry.example", "a")!.Username);
        Assert.Equal("wild", provider.Resolve("us.registry.example", "a")!.Username);
        Assert.Null(provider.Resolve("a.us.registry.example", "a"));
    }

    [Fact]
    public void SeveralSecrets_EarlierSecretWinsATie()
    {
        var provider = DockerConfigCredentialProvider.FromSecrets(
        [
            Encoding.UTF8.GetBytes("""{"auths":{"quay.io":{"username":"first","password":"1"}}}"""),
            Encoding.UTF8.GetBytes("""{"auths":{"quay.io":{"username":"second","password":"2"},"ghcr.io":{"username":"gh","password":"3"}}}"""),
        ]);

        Assert.Equal("first", provider.Resolve("quay.io", "a")!.Username);
        Assert.Equal("gh", provider.Resolve("ghcr.io", "a")!.Username);
    }

    [Fact]
    public void EntriesWithoutCredentials_AreSkipped()
    {
        var provider = Provider("""{"auths":{"quay.io":{}, "ghcr.io":{"auth":"not base64!"}},"credsStore":"desktop"}""");

        Assert.Null(provider.Resolve("quay.io", "a"));
        Assert.Null(provider.Resolve("ghcr.io", "a"));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    public void InvalidPayload_IsAFormatError(string payload)
    {
        Assert.Throws<FormatException>(() => Provider(payload));
    }

    [Fact]
    public void FromFile_ReadsDockerConfig_AndAMissingFileGivesNothing()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("config.json");
        File.WriteAllText(path, AuthsWithAuthField("localhost:5000", "a:b"));

        Assert.Equal(new RegistryCredential("a", "b"), DockerConfigCredentialProvider.FromFile(path).Resolve("localhost:5000", "x"));
        Assert.Null(DockerConfigCredentialProvider.FromFile(dir.Combine("missing.json")).Resolve("localhost:5000", "x"));
    }

    [Fact]
    public void Credential_ToString_NeverShowsThePassword()
    {
        var text = new RegistryCredential("user", "s3cret").ToString();

        Assert.Contains("user", text);
        Assert.DoesNotContain("s3cret", text);
    }

    private static DockerConfigCredentialProvider Provider(string json) =>
        DockerConfigCredentialProvider.FromJson(Encoding.UTF8.GetBytes(json));

    private static string AuthsWithAuthField(string key, string userColonPassword) =>
        System.Text.Json.JsonSerializer.Serialize(new { auths = new Dictionary<string, object> { [key] = new { auth = Base64(userColonPassword) } } });

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
}
