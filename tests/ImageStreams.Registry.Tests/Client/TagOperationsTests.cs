using ImageStreams.Registry.Client;
using ImageStreams.Registry.References;
using ImageStreams.Testing.Http;
using ImageStreams.Testing.Registry;

namespace ImageStreams.Registry.Tests.Client;

public class TagOperationsTests
{
    [Fact]
    public async Task ListAsync_ReturnsEveryPushedTag()
    {
        await using var peer = await RegistryWithImages.StartAsync();
        await peer.Images.BuildAsync("app");
        foreach (var tag in new[] { "latest", "1.0", "1.1", "2.0-rc" })
        {
            await peer.Images.PushAsync("app", $"{peer.Registry.Host}/team/app:{tag}");
        }
        using var client = TestClients.Create();

        var tags = await client.Tags.ListAsync(ImageReference.Parse($"{peer.Registry.Host}/team/app"), RegistryAccess.Anonymous);

        Assert.Equal(["1.0", "1.1", "2.0-rc", "latest"], tags.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ListAsync_FollowsLinkPagination()
    {
        await using var server = await ScriptedHttpServer.StartAsync();
        server.Script("GET", "/v2/team/app/tags/list", Page(["a", "b"], "</v2/team/app/tags/list?last=b&n=2>; rel=\"next\""));
        server.Script("GET", "/v2/team/app/tags/list?last=b&n=2", Page(["c", "d"], "</v2/team/app/tags/list?last=d&n=2>; rel=\"next\""));
        server.Script("GET", "/v2/team/app/tags/list?last=d&n=2", Page(["e"], null));
        using var client = TestClients.Create();

        var tags = await client.Tags.ListAsync(ImageReference.Parse($"{server.Authority}/team/app"), RegistryAccess.Anonymous);

        Assert.Equal(["a", "b", "c", "d", "e"], tags);
        Assert.Equal(3, server.Requests.Count(r => r.Path == "/v2/team/app/tags/list"));
    }

    [Fact]
    public async Task ListAsync_NeverFollowsALinkToAnotherHost()
    {
        await using var server = await ScriptedHttpServer.StartAsync();
        server.Script("GET", "/v2/team/app/tags/list", Page(["a"], "<https://elsewhere.example/v2/team/app/tags/list?last=a>; rel=\"next\""));
        using var client = TestClients.Create();

        var tags = await client.Tags.ListAsync(ImageReference.Parse($"{server.Authority}/team/app"), RegistryAccess.Anonymous);

        Assert.Equal(["a"], tags);
    }

    private static ScriptedResponse Page(string[] tags, string? link) =>
        ScriptedResponse.Text(
            System.Text.Json.JsonSerializer.Serialize(new { name = "team/app", tags }),
            headers: link is null ? null : new Dictionary<string, string> { ["Link"] = link });
}
