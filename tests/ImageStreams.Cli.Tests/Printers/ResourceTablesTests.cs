using System.Text.Json.Nodes;
using ImageStreams.Cli.Printers;
using ImageStreams.Model.Core;
using ImageStreams.Model.Meta;
using ImageStreams.Model.Serialization;

namespace ImageStreams.Cli.Tests.Printers;

public class ResourceTablesTests
{
    private static readonly DateTimeOffset Now = new(2024, 1, 10, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void ImageStreamRow_ShowsRepositoryOrderedTagsAndTheNewestUpdate()
    {
        var table = ResourceTables.For(ResourceTypes.ImageStreams);
        var stream = ResourceJson.ToNode(ImageStreamDescriberTests.RubyStream());

        Assert.Equal(["NAME", "IMAGE REPOSITORY", "TAGS", "UPDATED"], table.Header(wide: false, withNamespace: false));
        Assert.Equal(["ruby", "127.0.0.1:8080/p/ruby", "latest,2.7,2.6,old,ref", "About a minute ago"],
            table.Row(stream, Now, wide: false, withNamespace: false));
    }

    [Fact]
    public void Rows_WithAllNamespaces_StartWithTheNamespace()
    {
        var table = ResourceTables.For(ResourceTypes.ImageStreams);
        var stream = ResourceJson.ToNode(ImageStreamDescriberTests.RubyStream());

        Assert.Equal("NAMESPACE", table.Header(wide: false, withNamespace: true)[0]);
        Assert.Equal("p", table.Row(stream, Now, wide: false, withNamespace: true)[0]);
    }

    [Fact]
    public void ImageStreamRow_OfANewStream_HasNoTagsAndNoUpdate()
    {
        var row = ResourceTables.For(ResourceTypes.ImageStreams)
            .Row(JsonNode.Parse("""{"metadata":{"name":"new"},"spec":{},"status":{"dockerImageRepository":"h/p/new"}}""")!.AsObject(),
                Now, wide: false, withNamespace: false);

        Assert.Equal(["new", "h/p/new", "", ""], row);
    }

    [Fact]
    public void SecretRow_CountsItsDataAndShowsItsAge()
    {
        var secret = ResourceJson.ToNode(new Secret
        {
            Metadata = new ObjectMeta { Name = "pull", CreationTimestamp = Now.AddMinutes(-5) },
            Type = SecretTypes.DockerConfigJson,
            Data = new Dictionary<string, string> { [SecretTypes.DockerConfigJsonKey] = "e30=" },
        });

        Assert.Equal(["pull", SecretTypes.DockerConfigJson, "1", "5m"],
            ResourceTables.For(ResourceTypes.Secrets).Row(secret, Now, wide: false, withNamespace: false));
    }

    [Fact]
    public void ImageStreamTagRow_ShowsTheImageNameOnlyWhenWide()
    {
        var tag = JsonNode.Parse("""
            {"metadata":{"name":"ruby:2.7","creationTimestamp":"2024-01-10T10:00:00Z"},
             "image":{"metadata":{"name":"sha256:aaa"},"dockerImageReference":"registry.io/ruby@sha256:aaa"}}
            """)!.AsObject();
        var table = ResourceTables.For(ResourceTypes.ImageStreamTags);

        Assert.Equal(["ruby:2.7", "registry.io/ruby@sha256:aaa", "2 hours ago"], table.Row(tag, Now, wide: false, withNamespace: false));
        Assert.Equal(["NAME", "IMAGE REFERENCE", "UPDATED", "IMAGE NAME"], table.Header(wide: true, withNamespace: false));
        Assert.Equal("sha256:aaa", table.Row(tag, Now, wide: true, withNamespace: false)[3]);
    }
}
