using System.Text.Json.Nodes;
using ImageStreams.Cli.Images;

namespace ImageStreams.Cli.Tests.Images;

public class SpecTagWriterTests
{
    [Fact]
    public void WithTag_ReplacesTheTagOfTheSameNameKeepingItsAnnotationsAndEverythingElse()
    {
        var stream = JsonNode.Parse("""
            {"metadata":{"name":"ruby","resourceVersion":"7"},"spec":{"lookupPolicy":{"local":true},"tags":[
              {"name":"2.7","annotations":{"description":"Ruby 2.7"},"from":{"kind":"DockerImage","name":"registry.io/ruby:2.7"}},
              {"name":"latest","from":{"kind":"ImageStreamTag","name":"2.7"}}]},"extra":{"kept":true}}
            """)!.AsObject();
        var tag = JsonNode.Parse("""{"name":"2.7","from":{"kind":"DockerImage","name":"registry.io/ruby:2.7.8"},"generation":0}""")!.AsObject();

        var updated = SpecTagWriter.WithTag(stream, tag);

        Assert.Equal(
            """{"metadata":{"name":"ruby","resourceVersion":"7"},"spec":{"lookupPolicy":{"local":true},"tags":[{"name":"2.7","from":{"kind":"DockerImage","name":"registry.io/ruby:2.7.8"},"generation":0,"annotations":{"description":"Ruby 2.7"}},{"name":"latest","from":{"kind":"ImageStreamTag","name":"2.7"}}]},"extra":{"kept":true}}""",
            updated.ToJsonString());
    }

    [Fact]
    public void WithTag_AddsANewTagToAStreamWithoutTags()
    {
        var stream = JsonNode.Parse("""{"metadata":{"name":"ruby"}}""")!.AsObject();

        var updated = SpecTagWriter.WithTag(stream, JsonNode.Parse("""{"name":"tip"}""")!.AsObject());

        Assert.Equal("""{"metadata":{"name":"ruby"},"spec":{"tags":[{"name":"tip"}]}}""", updated.ToJsonString());
    }
}
