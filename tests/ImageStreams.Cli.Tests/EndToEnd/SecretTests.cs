using System.Text;
using System.Text.Json.Nodes;

namespace ImageStreams.Cli.Tests.EndToEnd;

[Collection(ServerCollection.Name)]
public sealed class SecretTests(ServerFixture server) : IDisposable
{
    private readonly CliRunner cli = new(server.Address, server.Token);

    public void Dispose() => cli.Dispose();

    [Fact]
    public async Task CreateSecretDockerRegistry_StoresADockerConfigJson_AndDescribeShowsSizesOnly()
    {
        var ns = ServerFixture.UniqueNamespace("secret");
        Assert.Equal(0, (await cli.RunAsync("new-project", ns)).ExitCode);

        var created = await cli.RunAsync("create", "secret", "docker-registry", "quay", "--docker-server=quay.io/team",
            "--docker-username=robot", "--docker-password=pa55-word", "--docker-email=r@example.com");
        var generic = await cli.RunAsync("create", "secret", "generic", "settings", "--from-literal=mode=fast", "--from-literal=level=3");
        var described = await cli.RunAsync("describe", "secret", "quay");
        var json = await cli.RunAsync("get", "secret", "quay", "-o", "json");

        Assert.Equal("secret/quay created\n", created.Out);
        Assert.Equal("secret/settings created\n", generic.Out);
        Assert.Equal(0, described.ExitCode);
        Assert.Contains("Type:  kubernetes.io/dockerconfigjson", described.Out, StringComparison.Ordinal);
        Assert.Matches(@"\.dockerconfigjson:  \d+ bytes", described.Out);
        Assert.DoesNotContain("pa55-word", described.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes("robot:pa55-word")), described.Out, StringComparison.Ordinal);
        var config = JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(
            JsonNode.Parse(json.Out)!["data"]![".dockerconfigjson"]!.GetValue<string>())))!;
        Assert.Equal("robot", config["auths"]!["quay.io/team"]!["username"]!.GetValue<string>());
        Assert.Equal("pa55-word", config["auths"]!["quay.io/team"]!["password"]!.GetValue<string>());
    }

    [Fact]
    public async Task CreateSecret_WithBadArguments_FailsWithOneLine()
    {
        var missing = await cli.RunAsync("create", "secret", "docker-registry", "x", "--docker-username=u");
        var literal = await cli.RunAsync("create", "secret", "generic", "x", "--from-literal=novalue");
        var name = await cli.RunAsync("create", "secret", "generic", "Bad_Name", "--from-literal=a=b");

        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("--docker-password", missing.Error, StringComparison.Ordinal);
        Assert.Equal(1, literal.ExitCode);
        Assert.Contains("--from-literal must be key=value", literal.Error, StringComparison.Ordinal);
        Assert.Equal(1, name.ExitCode);
        Assert.Contains("invalid secret name", name.Error, StringComparison.Ordinal);
        Assert.All([missing, literal, name], r => Assert.Single(r.Error.TrimEnd('\n').Split('\n')));
    }
}
