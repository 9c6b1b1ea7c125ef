using System.Text.Json.Nodes;
using ImageStreams.Model.Image;
using ImageStreams.Model.Serialization;

namespace ImageStreams.Model.Tests.Serialization;

public class SeedDocumentTests
{
    private static readonly string SeedPath = Path.Combine(AppContext.BaseDirectory, "testdata", "seed000-rhel7.yaml");

    [Fact]
    public void SeedImageStream_LoadsWithEveryField()
    {
        var node = Yaml.ParseDocuments(File.ReadAllText(SeedPath)).Single();
        var stream = ResourceJson.FromNode<ImageStream>(node);

        Assert.Equal("rhel7", stream.Metadata.Name);
        Assert.Equal("55223044", stream.Metadata.ResourceVersion);
        Assert.Equal(1, stream.Metadata.Generation);
        Assert.Equal(new DateTimeOffset(2019, 4, 15, 12, 5, 34, TimeSpan.Zero), stream.Metadata.CreationTimestamp);
        var tag = Assert.Single(stream.Spec.Tags!);
        Assert.Equal("latest", tag.Name);
        Assert.Equal(SourceKinds.DockerImage, tag.From!.Kind);
        Assert.Equal("registry.access.redhat.com/rhel7:latest", tag.From.Name);
        Assert.True(tag.ImportPolicy.Scheduled);
        Assert.Equal(1, tag.Generation);
        var item = Assert.Single(Assert.Single(stream.Status!.Tags!).Items);
        Assert.Equal("sha256:e3f12513a4b22a2d7c0e7c9207f52128113758d9d68c7d06b11a0ac7672966f7", item.Image);
    }

    [Fact]
    public void SeedImageStream_SpecComesBackUnchanged()
    {
        var original = Yaml.ParseDocuments(File.ReadAllText(SeedPath)).Single()!.AsObject();
        var stream = ResourceJson.FromNode<ImageStream>(original);

        var emitted = Yaml.Emit(ResourceJson.ToNode(stream));
        var reloaded = Yaml.ParseDocuments(emitted).Single()!.AsObject();

        var expectedSpec = original["spec"]!.DeepClone().AsObject();
        // "annotations: null" is the same as no annotations.
        expectedSpec["tags"]![0]!.AsObject().Remove("annotations");
        Assert.True(JsonNode.DeepEquals(expectedSpec, reloaded["spec"]), reloaded["spec"]!.ToJsonString());
        Assert.Equal("2019-04-15T12:05:34Z", reloaded["metadata"]!["creationTimestamp"]!.GetValue<string>());
        Assert.Equal("55223044", reloaded["metadata"]!["resourceVersion"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("a: \"123\"", "123")]
    [InlineData("a: 'true'", "true")]
    [InlineData("a: hello", "hello")]
    public void QuotedScalars_StayStrings(string yaml, string expected)
    {
        var node = Yaml.ParseDocuments(yaml).Single();
        Assert.Equal(expected, node["a"]!.GetValue<string>());
        Assert.Contains(expected, Yaml.Emit(node), StringComparison.Ordinal);
        Assert.Equal(expected, Yaml.ParseDocuments(Yaml.Emit(node)).Single()["a"]!.GetValue<string>());
    }

    [Fact]
    public void MalformedYaml_GivesLineAndColumn()
    {
        var error = Assert.Throws<FormatException>(() => Yaml.ParseDocuments("a: [1, 2\nb: c"));
        Assert.StartsWith("invalid YAML at line", error.Message, StringComparison.Ordinal);
    }
}
