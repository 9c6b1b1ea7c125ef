using ImageStreams.Cli.Images;
using ImageStreams.Model.Image;
using ImageStreams.Model.Meta;

namespace ImageStreams.Cli.Tests.Images;

public class TagPlanTests
{
    private const string Ns = "team";
    private const string Digest = "sha256:e3f12513a4b22a2d7c0e7c9207f52128113758d9d68c7d06b11a0ac7672966f7";

    [Theory]
    [InlineData("registry.io/ruby:2.7", SourceKinds.DockerImage)]
    [InlineData("127.0.0.1:5000/ruby", SourceKinds.DockerImage)]
    [InlineData("busybox", SourceKinds.DockerImage)]
    [InlineData("ruby@" + Digest, SourceKinds.ImageStreamImage)]
    [InlineData("ruby:2.7", SourceKinds.ImageStreamTag)]
    [InlineData("other/ruby:2.7", SourceKinds.ImageStreamTag)]
    public void ParseSource_InfersTheKindFromTheForm(string source, string kind) =>
        Assert.Equal(kind, TagPlan.ParseSource(source, null).Kind);

    [Theory]
    [InlineData("ruby:2.7", "docker", SourceKinds.DockerImage)]
    [InlineData("ruby:2.7", "istag", SourceKinds.ImageStreamTag)]
    [InlineData("ruby@" + Digest, "ImageStreamImage", SourceKinds.ImageStreamImage)]
    public void ParseSource_TakesTheKindFromSource(string source, string flag, string kind) =>
        Assert.Equal(kind, TagPlan.ParseSource(source, flag).Kind);

    [Theory]
    [InlineData("ruby:2.7", "image", "invalid source \"image\"; valid values are docker, dockerimage, imagestreamimage, imagestreamtag, isimage, istag")]
    [InlineData("registry.io/ruby:2.7", "istag", "server in SOURCE is only allowed when providing a container image")]
    [InlineData("ruby", "istag", "--source=ImageStreamTag requires a valid <name>:<tag> in SOURCE")]
    [InlineData("ruby:2.7", "isimage", "--source=ImageStreamImage requires a valid <name>@<id> in SOURCE")]
    [InlineData("Ruby:2.7", null, "invalid SOURCE: invalid reference format: repository name must be lowercase")]
    public void ParseSource_RefusesWhatOcRefuses(string source, string? flag, string message) =>
        Assert.Equal(message, Assert.Throws<CliException>(() => TagPlan.ParseSource(source, flag)).Message);

    [Fact]
    public void ResolveCopy_PointsAtTheImageTheSourceTagHasNow()
    {
        var stream = StreamWith("2.7", new TagEvent { DockerImageReference = "registry.io/ruby@" + Digest, Image = Digest });

        var copy = TagPlan.ResolveCopy(TagPlan.ParseSource("ruby:2.7", null), stream, "ruby:2.7");

        Assert.Equal(SourceKinds.ImageStreamImage, copy.Kind);
        Assert.Equal("ruby@" + Digest, copy.Reference.Exact);
    }

    [Fact]
    public void ResolveCopy_OfAReferenceOnlyTag_CopiesItsPullSpec()
    {
        var stream = StreamWith("edge", new TagEvent { DockerImageReference = "registry.io/ruby:edge" });

        var copy = TagPlan.ResolveCopy(TagPlan.ParseSource("ruby:edge", null), stream, "ruby:edge");

        Assert.Equal(new TagSource(SourceKinds.DockerImage, PullSpecTests.Parse("registry.io/ruby:edge")), copy);
    }

    [Fact]
    public void ResolveCopy_OfATagWithoutImage_SaysItCannotBeASource()
    {
        var error = Assert.Throws<CliException>(() => TagPlan.ResolveCopy(TagPlan.ParseSource("ruby:3.0", null), StreamWith("2.7"), "ruby:3.0"));

        Assert.Equal("\"ruby:3.0\" is not currently pointing to an image, cannot use it as the source of a tag", error.Message);
    }

    [Fact]
    public void SpecTag_OfARegistryImage_AsksForAnImportWithTheFlagsGiven()
    {
        var options = new TagOptions(Scheduled: true, Insecure: true, ReferencePolicy: "local", ImportMode: "PreserveOriginal");
        var source = TagPlan.ParseSource("registry.io/ruby:2.7", null);

        var tag = TagPlan.SpecTag(options, source, new TagDestination(Ns, "ruby", "2.7"), Ns);

        Assert.Equal("2.7", tag.Name);
        Assert.Equal(0, tag.Generation);
        Assert.Equal(new ObjectReference { Kind = SourceKinds.DockerImage, Name = "registry.io/ruby:2.7" }, tag.From);
        Assert.Equal(new TagImportPolicy { Scheduled = true, Insecure = true, ImportMode = ImportModes.PreserveOriginal }, tag.ImportPolicy);
        Assert.Equal(ReferencePolicyTypes.Local, tag.ReferencePolicy.Type);
        Assert.False(tag.Reference);
    }

    [Fact]
    public void SpecTag_WithReference_OnlyPointsAtTheSource()
    {
        var tag = TagPlan.SpecTag(new TagOptions(Reference: true), TagPlan.ParseSource("registry.io/ruby:edge", null), new TagDestination(Ns, "ruby", "edge"), Ns);

        Assert.True(tag.Reference);
        Assert.Equal(new TagImportPolicy(), tag.ImportPolicy);
        Assert.Equal(ReferencePolicyTypes.Source, tag.ReferencePolicy.Type);
    }

    [Fact]
    public void SpecTag_OfAnAlias_TracksTheTagAndNamesTheNamespaceOnlyForAnotherNamespace()
    {
        var source = TagPlan.ParseSource("ruby:2.7", null);

        var here = TagPlan.SpecTag(new TagOptions(Alias: true), source, new TagDestination(Ns, "ruby", "latest"), Ns);
        var there = TagPlan.SpecTag(new TagOptions(Alias: true), source, new TagDestination("other", "ruby", "latest"), Ns);

        Assert.Equal(new ObjectReference { Kind = SourceKinds.ImageStreamTag, Name = "ruby:2.7" }, here.From);
        Assert.Null(here.Generation);
        Assert.Equal(new ObjectReference { Kind = SourceKinds.ImageStreamTag, Name = "ruby:2.7", Namespace = Ns }, there.From);
    }

    [Theory]
    [InlineData(false, false, Ns, "Tag ruby:tip set to registry.io/ruby:2.7.")]
    [InlineData(false, true, Ns, "Tag ruby:tip set to import registry.io/ruby:2.7 periodically.")]
    [InlineData(true, false, Ns, "Tag ruby:tip set up to track registry.io/ruby:2.7.")]
    [InlineData(false, false, "other", "Tag other/ruby:tip set to registry.io/ruby:2.7.")]
    [InlineData(false, true, "other", "Tag other/ruby:tip set to registry.io/ruby:2.7 periodically.")]
    [InlineData(true, false, "other", "Tag other/ruby:tip set up to track registry.io/ruby:2.7.")]
    public void Message_IsOcs(bool alias, bool scheduled, string destinationNamespace, string expected)
    {
        var options = new TagOptions(Alias: alias, Scheduled: scheduled);

        var message = TagPlan.Message(options, TagPlan.ParseSource("registry.io/ruby:2.7", null), new TagDestination(destinationNamespace, "ruby", "tip"), Ns);

        Assert.Equal(expected, message);
    }

    [Fact]
    public void DeletedMessage_NamesTheNamespace() =>
        Assert.Equal("Deleted tag team/ruby:tip.", TagPlan.DeletedMessage(new TagDestination(Ns, "ruby", "tip")));

    [Theory]
    [InlineData("ruby:tip", Ns, "ruby", "tip")]
    [InlineData("other/ruby:tip", "other", "ruby", "tip")]
    [InlineData("ruby:", Ns, "ruby", "latest")]
    public void ParseDestinations_ReadsNamespaceStreamAndTag(string arg, string ns, string stream, string tag) =>
        Assert.Equal(new TagDestination(ns, stream, tag), Assert.Single(TagPlan.ParseDestinations([arg], Ns)));

    [Theory]
    [InlineData("ruby", "\"ruby\" must be of the form <stream_name>:<tag>")]
    [InlineData("a/b/c:tip", "invalid image stream \"a/b/c:tip\"")]
    [InlineData("/ruby:tip", "invalid namespace \"\" for image stream \"/ruby:tip\"")]
    [InlineData("ruby:.tip", "invalid tag \".tip\" in \"ruby:.tip\": a tag must start with a letter, digit or underscore, followed by up to 127 letters, digits, underscores, '.' or '-' (regex used for validation is '^[\\w][\\w.-]{0,127}$')")]
    public void ParseDestinations_RefusesBadDestinations(string arg, string message) =>
        Assert.Equal(message, Assert.Throws<CliException>(() => TagPlan.ParseDestinations([arg], Ns)).Message);

    [Theory]
    [InlineData(true, true, false, false, 1, "--alias and --delete may not be both specified")]
    [InlineData(true, false, true, false, 1, "cannot set flags for importing images when deleting a tag")]
    [InlineData(false, true, true, false, 2, "cannot set a container image tag as an alias and also set import flags")]
    [InlineData(false, false, false, false, 0, "you must specify a source and at least one destination or one or more tags to delete")]
    [InlineData(false, false, false, false, 1, "at least a destination is required")]
    [InlineData(false, false, false, true, 2, "reference policy must be set to 'source' or 'local'")]
    public void ValidateFlags_RefusesFlagsThatDoNotGoTogether(bool delete, bool alias, bool scheduled, bool badPolicy, int arguments, string message)
    {
        var options = new TagOptions(Delete: delete, Alias: alias, Scheduled: scheduled, ReferencePolicy: badPolicy ? "remote" : null);

        Assert.Equal(message, Assert.Throws<CliException>(() => TagPlan.ValidateFlags(options, arguments)).Message);
    }

    [Fact]
    public void ValidateSource_RefusesImportFlagsForAStreamSource() =>
        Assert.Equal("only container images can have importing flags set",
            Assert.Throws<CliException>(() => TagPlan.ValidateSource(new TagOptions(Scheduled: true), TagPlan.ParseSource("ruby@" + Digest, null))).Message);

    private static ImageStream StreamWith(string tag, params TagEvent[] items) => new()
    {
        Metadata = new ObjectMeta { Name = "ruby", Namespace = Ns },
        Status = new ImageStreamStatus { Tags = [new NamedTagEventList { Tag = tag, Items = items }] },
    };
}
