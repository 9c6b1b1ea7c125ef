using ImageStreams.Cli.Images;
using ImageStreams.Model.Image;
using ImageStreams.Model.Meta;

namespace ImageStreams.Cli.Tests.Images;

public class ImportImagePlanTests
{
    private const string Ns = "team";

    [Fact]
    public void Build_ForTheSeedCommand_AsksForOneScheduledImageIntoANewStream()
    {
        var options = new ImportImageOptions("rhel7:latest", From: "127.0.0.1:5000/rhel7:latest", Confirm: true, Scheduled: true);

        var request = ImportImagePlan.Build(options, Ns, stream: null);

        Assert.Equal("rhel7", request.Metadata.Name);
        Assert.Equal(Ns, request.Metadata.Namespace);
        Assert.True(request.Spec.Import);
        Assert.Null(request.Spec.Repository);
        var image = Assert.Single(request.Spec.Images!);
        Assert.Equal(new ObjectReference { Kind = SourceKinds.DockerImage, Name = "127.0.0.1:5000/rhel7:latest" }, image.From);
        Assert.Equal("latest", image.To!.Name);
        Assert.Equal(new TagImportPolicy { Scheduled = true }, image.ImportPolicy);
        Assert.Equal(ReferencePolicyTypes.Source, image.ReferencePolicy.Type);
    }

    [Fact]
    public void Build_ForANewStreamWithoutConfirm_FailsWithOcsMessage()
    {
        var error = Assert.Throws<CliException>(() => ImportImagePlan.Build(new ImportImageOptions("rhel7", From: "registry.io/rhel7"), Ns, null));

        Assert.Equal("no image stream named \"rhel7\" exists, pass --confirm to create and import", error.Message);
    }

    [Fact]
    public void Build_ForANewStreamWithoutFrom_ImportsTheTargetItself()
    {
        var request = ImportImagePlan.Build(new ImportImageOptions("quay.io/team/app:1.2", Confirm: true), Ns, null);

        Assert.Equal("app", request.Metadata.Name);
        var image = Assert.Single(request.Spec.Images!);
        Assert.Equal("quay.io/team/app:1.2", image.From.Name);
        Assert.Equal("1.2", image.To!.Name);
    }

    [Fact]
    public void Build_WithAllForANewStream_ImportsTheRepository()
    {
        var request = ImportImagePlan.Build(
            new ImportImageOptions("app", From: "registry.io/app", Confirm: true, All: true, ReferencePolicy: "local", ImportMode: "PreserveOriginal", DryRun: true),
            Ns, null);

        Assert.False(request.Spec.Import);
        Assert.Null(request.Spec.Images);
        Assert.Equal("registry.io/app", request.Spec.Repository!.From.Name);
        Assert.Equal(ReferencePolicyTypes.Local, request.Spec.Repository.ReferencePolicy.Type);
        Assert.Equal(ImportModes.PreserveOriginal, request.Spec.Repository.ImportPolicy.ImportMode);
    }

    [Fact]
    public void Build_ForAnExistingTagWithoutFrom_ReimportsItsOwnSourceKeepingItsPolicies()
    {
        var stream = Stream(new TagReference
        {
            Name = "latest",
            From = Docker("registry.io/rhel7:latest"),
            ImportPolicy = new TagImportPolicy { Insecure = true, ImportMode = ImportModes.PreserveOriginal },
            ReferencePolicy = new TagReferencePolicy { Type = ReferencePolicyTypes.Local },
        });

        var request = ImportImagePlan.Build(new ImportImageOptions("rhel7", Scheduled: true), Ns, stream);

        var image = Assert.Single(request.Spec.Images!);
        Assert.Equal("registry.io/rhel7:latest", image.From.Name);
        Assert.Equal("latest", image.To!.Name);
        Assert.Equal(new TagImportPolicy { Insecure = true, Scheduled = true, ImportMode = ImportModes.PreserveOriginal }, image.ImportPolicy);
        Assert.Equal(ReferencePolicyTypes.Local, image.ReferencePolicy.Type);
    }

    [Fact]
    public void Build_ForATagThatFollowsAnother_ImportsTheTagAtTheEndOfTheChain()
    {
        var stream = Stream(
            new TagReference { Name = "2.7", From = Docker("registry.io/ruby:2.7") },
            new TagReference { Name = "latest", From = new ObjectReference { Kind = SourceKinds.ImageStreamTag, Name = "rhel7:2.7" } });

        var request = ImportImagePlan.Build(new ImportImageOptions("rhel7:latest"), Ns, stream);

        var image = Assert.Single(request.Spec.Images!);
        Assert.Equal("2.7", image.To!.Name);
        Assert.Equal("registry.io/ruby:2.7", image.From.Name);
    }

    [Fact]
    public void Build_ForAMissingTag_SaysItDoesNotExist()
    {
        var error = Assert.Throws<CliException>(() =>
            ImportImagePlan.Build(new ImportImageOptions("rhel7:7.9"), Ns, Stream(new TagReference { Name = "latest", From = Docker("registry.io/rhel7") })));

        Assert.Equal(
            "the tag \"7.9\" does not exist on the image stream - choose an existing tag to import or use the 'tag' command to create a new tag",
            error.Message);
    }

    [Fact]
    public void Build_ForLatestOfAStreamThatMirrorsARepository_ImportsItFromTheRepository()
    {
        var stream = Stream() with { Spec = new ImageStreamSpec { DockerImageRepository = "registry.io/rhel7" } };

        var request = ImportImagePlan.Build(new ImportImageOptions("rhel7"), Ns, stream);

        Assert.Equal("registry.io/rhel7", Assert.Single(request.Spec.Images!).From.Name);
    }

    [Fact]
    public void Build_ForATagFromAnotherStream_RefusesToReimportIt()
    {
        var stream = Stream(new TagReference { Name = "latest", From = new ObjectReference { Kind = SourceKinds.ImageStreamImage, Name = "base@sha256:abc" } });

        var error = Assert.Throws<CliException>(() => ImportImagePlan.Build(new ImportImageOptions("rhel7"), Ns, stream));

        Assert.Equal("tag \"latest\" points to existing ImageStreamImage \"base@sha256:abc\", it cannot be re-imported", error.Message);
    }

    [Fact]
    public void Build_WithAnotherFromForAnExistingTag_PointsToTheTagCommand()
    {
        var stream = Stream(new TagReference { Name = "latest", From = Docker("registry.io/rhel7:latest") });

        var error = Assert.Throws<CliException>(() =>
            ImportImagePlan.Build(new ImportImageOptions("rhel7", From: "registry.io/rhel8:latest", Confirm: true), Ns, stream));

        Assert.Equal(
            "the tag \"latest\" points to \"registry.io/rhel7:latest\" - use the 'tag' command if you want to change the source to \"registry.io/rhel8:latest\"",
            error.Message);
    }

    [Fact]
    public void Build_WithAllForAnExistingStream_ImportsEveryRegistryTag()
    {
        var stream = Stream(
            new TagReference { Name = "latest", From = Docker("registry.io/rhel7:latest") },
            new TagReference { Name = "7.9", From = Docker("registry.io/rhel7:7.9") },
            new TagReference { Name = "stable", From = new ObjectReference { Kind = SourceKinds.ImageStreamTag, Name = "latest" } });

        var request = ImportImagePlan.Build(new ImportImageOptions("rhel7", All: true), Ns, stream);

        Assert.Equal(["latest", "7.9"], request.Spec.Images!.Select(i => i.To!.Name));
    }

    [Fact]
    public void Build_WithAllAndANewRepository_NeedsConfirm()
    {
        var error = Assert.Throws<CliException>(() =>
            ImportImagePlan.Build(new ImportImageOptions("rhel7", From: "registry.io/rhel7", All: true), Ns, Stream()));

        Assert.Equal("the image stream does not currently import an entire Docker repository, pass --confirm to update", error.Message);
    }

    [Fact]
    public void Build_WithInsecureGivenAsFalse_OverridesTheStreamsInsecureAnnotation()
    {
        var plain = Stream(new TagReference { Name = "latest", From = Docker("registry.io/rhel7") });
        var stream = plain with { Metadata = plain.Metadata.WithAnnotation(ImageApi.InsecureRepositoryAnnotation, "true") };

        Assert.True(Assert.Single(ImportImagePlan.Build(new ImportImageOptions("rhel7"), Ns, stream).Spec.Images!).ImportPolicy.Insecure);
        Assert.False(Assert.Single(ImportImagePlan.Build(new ImportImageOptions("rhel7", Insecure: false), Ns, stream).Spec.Images!).ImportPolicy.Insecure);
    }

    [Theory]
    [InlineData("rhel7@sha256:e3f12513a4b22a2d7c0e7c9207f52128113758d9d68c7d06b11a0ac7672966f7", false, "to import images by ID, use the 'tag' command")]
    [InlineData("rhel7:latest", true, "cannot specify a tag \"rhel7:latest\" as well as --all")]
    [InlineData("Not Valid", false, "the image name must be a valid container image pull spec or reference to an image stream (e.g. myregistry/myteam/image:tag)")]
    public void ParseTarget_RefusesWhatOcRefuses(string target, bool all, string message) =>
        Assert.Equal(message, Assert.Throws<CliException>(() => ImportImagePlan.ParseTarget(new ImportImageOptions(target, All: all))).Message);

    [Fact]
    public void Build_WithAnUnknownImportMode_SaysWhichAreValid() =>
        Assert.Equal("valid ImportMode values are Legacy or PreserveOriginal",
            Assert.Throws<CliException>(() => ImportImagePlan.Build(new ImportImageOptions("rhel7", Confirm: true, ImportMode: "all"), Ns, null)).Message);

    private static ObjectReference Docker(string name) => new() { Kind = SourceKinds.DockerImage, Name = name };

    private static ImageStream Stream(params TagReference[] tags) => new()
    {
        Metadata = new ObjectMeta { Name = "rhel7", Namespace = Ns },
        Spec = new ImageStreamSpec { Tags = tags },
    };
}
