using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ImageStreams.Model.Serialization;

namespace ImageStreams.Cli.Tests.EndToEnd;

[Collection(ServerCollection.Name)]
public sealed class DescribeTests(ServerFixture server) : IDisposable
{
    private const string DigestA = "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    private const string DigestB = "sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
    private const string DigestC = "sha256:cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc";

    private readonly CliRunner cli = new(server.Address, server.Token);

    public void Dispose() => cli.Dispose();

    [Fact]
    public async Task DescribeOfAStreamWithHistory_MatchesOcsLayout()
    {
        var ns = ServerFixture.UniqueNamespace("describe");
        Assert.Equal(0, (await cli.RunAsync("new-project", ns)).ExitCode);
        var file = cli.WriteFile("ruby.yaml", """
            apiVersion: image.openshift.io/v1
            kind: ImageStream
            metadata:
              name: ruby
            spec:
              tags:
              - name: "2.7"
                from: {kind: DockerImage, name: "registry.io/ruby:2.7"}
              - name: latest
                from: {kind: ImageStreamTag, name: "2.7"}
              - name: "2.6"
                from: {kind: DockerImage, name: "registry.io/ruby:2.6"}
                importPolicy: {insecure: true}
                referencePolicy: {type: Local}
            """);
        Assert.Equal(0, (await cli.RunAsync("apply", "-f", file)).ExitCode);
        var now = DateTimeOffset.UtcNow;
        await WriteStatusAsync(ns, "ruby", new JsonArray(
            Tag("2.7", [Item(now.AddHours(-2), DigestA), Item(now.AddDays(-3), DigestB)]),
            Tag("latest", [Item(now.AddHours(-2), DigestA)]),
            Tag("2.6", [Item(now.AddDays(-5), DigestC)], new JsonObject
            {
                ["type"] = "ImportSuccess",
                ["status"] = "False",
                ["lastTransitionTime"] = ResourceJson.FormatTime(now.AddMinutes(-5)),
                ["reason"] = "Unauthorized",
                ["message"] = "you may not have access to the container image \"registry.io/ruby:2.6\"",
                ["generation"] = 1,
            })));

        var result = await cli.RunAsync("describe", "is", "ruby");

        Assert.True(result.ExitCode == 0, result.ToString());
        var text = Regex.Replace(result.Out, "^Created:\t\t.*$", "Created:\t\t(age)", RegexOptions.Multiline);
        Assert.Equal(
            $"""
            Name:			ruby
            Namespace:		{ns}
            Created:		(age)
            Labels:			<none>
            Annotations:		<none>
            Image Repository:	{server.HostPort}/{ns}/ruby
            Image Lookup:		local=false
            Unique Images:		3
            Tags:			3

            2.7 (latest)
              tagged from registry.io/ruby:2.7

              * registry.io/ruby@{DigestA}
                  2 hours ago
                registry.io/ruby@{DigestB}
                  3 days ago

            2.6
              tagged from registry.io/ruby:2.6
                will use insecure HTTPS or HTTP connections
                prefer registry pullthrough when referencing this tag

              ! error: Import failed (Unauthorized): you may not have access to the container image "registry.io/ruby:2.6"
                  5 minutes ago
              * registry.io/ruby@{DigestC}
                  5 days ago

            """.ReplaceLineEndings("\n"),
            text);

        // The UPDATED column of get shows the newest current image.
        var table = await cli.RunAsync("get", "is", "ruby");
        Assert.EndsWith("latest,2.7,2.6   2 hours ago\n", table.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DescribeOfAnotherKind_PrintsItsYaml()
    {
        var ns = ServerFixture.UniqueNamespace("descns");
        Assert.Equal(0, (await cli.RunAsync("new-project", ns)).ExitCode);

        var result = await cli.RunAsync("describe", "ns", ns);

        Assert.True(result.ExitCode == 0, result.ToString());
        var node = Yaml.ParseDocuments(result.Out).Single();
        Assert.Equal("Namespace", node["kind"]!.GetValue<string>());
        Assert.Equal(ns, node["metadata"]!["name"]!.GetValue<string>());
    }

    private async Task WriteStatusAsync(string ns, string name, JsonArray tags)
    {
        using var http = new HttpClient { BaseAddress = server.Server.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", server.Token);
        var path = $"/apis/image.openshift.io/v1/namespaces/{ns}/imagestreams/{name}";
        var stream = (await http.GetFromJsonAsync<JsonObject>(path))!;
        stream["status"] = new JsonObject { ["tags"] = tags };
        using var response = await http.PutAsJsonAsync(path + "/status", stream);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private static JsonObject Tag(string tag, JsonObject[] items, JsonObject? condition = null)
    {
        var list = new JsonObject { ["tag"] = tag, ["items"] = new JsonArray(items) };
        if (condition is not null)
        {
            list["conditions"] = new JsonArray(condition);
        }
        return list;
    }

    private static JsonObject Item(DateTimeOffset created, string digest) => new()
    {
        ["created"] = ResourceJson.FormatTime(created),
        ["dockerImageReference"] = $"registry.io/ruby@{digest}",
        ["image"] = digest,
        ["generation"] = 1,
    };
}
