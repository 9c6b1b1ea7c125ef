using ImageStreams.Controllers.Import;
using ImageStreams.Model.Image;
using ImageStreams.Model.Meta;
using ImageStreams.Resources;
using ImageStreams.Testing.Registry;

namespace ImageStreams.Controllers.Tests.Import;

public class ImageStreamImporterTests
{
    private static ImageStreamImport Request(string stream, string from, string tag, bool import = true, bool scheduled = false) => new()
    {
        Metadata = new ObjectMeta { Name = stream },
        Spec = new ImageStreamImportSpec
        {
            Import = import,
            Images =
            [
                new ImageImportSpec
                {
                    From = new ObjectReference { Kind = SourceKinds.DockerImage, Name = from },
                    To = new LocalObjectReference { Name = tag },
                    ImportPolicy = new TagImportPolicy { Scheduled = scheduled },
                },
            ],
        },
    };

    [Fact]
    public async Task Import_OfANewStream_CreatesTheStreamTagAndImageAsTheSeedShows()
    {
        await using var h = await ImportHarness.StartAsync();
        var digest = await h.PushAsync("rhel7", "latest", "1");

        var result = await h.Importer.ImportAsync(ImportHarness.Namespace,
            Request("rhel7", $"{h.Registry.Host}/rhel7:latest", "latest", scheduled: true));

        var status = Assert.Single(result.Status!.Images!);
        Assert.Equal(Status.Success, status.Status.State);
        Assert.NotNull(status.Image!.Metadata.CreationTimestamp);
        var stream = await h.Resources.ImageStreams.GetAsync(ImportHarness.Namespace, "rhel7");
        Assert.Equal(1, stream.Metadata.Generation);
        Assert.NotNull(stream.Metadata.Annotation(ImageApi.DockerRepositoryCheckAnnotation));
        var specTag = Assert.Single(stream.Spec.Tags!);
        Assert.Equal($"{h.Registry.Host}/rhel7:latest", specTag.From!.Name);
        Assert.True(specTag.ImportPolicy.Scheduled);
        Assert.Equal(1, specTag.Generation);
        var item = Assert.Single(stream.StatusTag("latest")!.Items);
        Assert.Equal(digest, item.Image);
        Assert.Equal($"{h.Registry.Host}/rhel7@{digest}", item.DockerImageReference);
        Assert.Equal(1, item.Generation);

        var image = await h.Resources.Images.GetAsync(null, digest);
        Assert.Equal("1", image.DockerImageMetadata!.Config!.Labels!["version"]);
        Assert.Equal("ImageStreams tests", image.DockerImageMetadata.Author);
        Assert.Equal(["/bin/sh"], image.DockerImageMetadata.Config.Cmd);
        Assert.NotEmpty(image.DockerImageLayers!);
    }

    [Fact]
    public async Task Import_OfAnUnchangedTag_WritesNothing()
    {
        await using var h = await ImportHarness.StartAsync();
        await h.PushAsync("base", "latest", "1");
        await h.Importer.ImportAsync(ImportHarness.Namespace, Request("base", $"{h.Registry.Host}/base:latest", "latest"));
        var before = await h.Resources.ImageStreams.GetAsync(ImportHarness.Namespace, "base");

        await h.Importer.ImportAsync(ImportHarness.Namespace, Request("base", $"{h.Registry.Host}/base:latest", "latest"));

        var after = await h.Resources.ImageStreams.GetAsync(ImportHarness.Namespace, "base");
        Assert.Equal(before.Metadata.ResourceVersion, after.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task Import_AfterTheUpstreamTagMoved_PrependsAHistoryItem()
    {
        await using var h = await ImportHarness.StartAsync();
        var first = await h.PushAsync("base", "latest", "1");
        await h.Importer.ImportAsync(ImportHarness.Namespace, Request("base", $"{h.Registry.Host}/base:latest", "latest"));
        var second = await h.PushAsync("base", "latest", "2", TestImageFormat.DockerV2S2);

        await h.Importer.ImportAsync(ImportHarness.Namespace, Request("base", $"{h.Registry.Host}/base:latest", "latest"));

        var stream = await h.Resources.ImageStreams.GetAsync(ImportHarness.Namespace, "base");
        Assert.Equal([second, first], stream.StatusTag("latest")!.Items.Select(i => i.Image));
        Assert.Equal("application/vnd.docker.distribution.manifest.v2+json",
            (await h.Resources.Images.GetAsync(null, second)).DockerImageManifestMediaType);
    }

    [Fact]
    public async Task Import_OfAMissingTag_RecordsANotFoundCondition()
    {
        await using var h = await ImportHarness.StartAsync();
        await h.PushAsync("base", "latest", "1");

        var result = await h.Importer.ImportAsync(ImportHarness.Namespace, Request("base", $"{h.Registry.Host}/base:nope", "nope"));

        var status = Assert.Single(result.Status!.Images!).Status;
        Assert.Equal(StatusReasons.NotFound, status.Reason);
        var stream = await h.Resources.ImageStreams.GetAsync(ImportHarness.Namespace, "base");
        var condition = Assert.Single(stream.StatusTag("nope")!.Conditions!);
        Assert.Equal("False", condition.Status);
        Assert.Equal(StatusReasons.NotFound, condition.Reason);
        Assert.Equal($"dockerimage.image.openshift.io \"{h.Registry.Host}/base:nope\" not found", condition.Message);
        Assert.False(TagHistory.NeedsImport(stream, stream.SpecTag("nope")!));
    }

    [Fact]
    public async Task DryRun_ShowsTheResultAndWritesNothing()
    {
        await using var h = await ImportHarness.StartAsync();
        var digest = await h.PushAsync("base", "latest", "1");

        var result = await h.Importer.ImportAsync(ImportHarness.Namespace,
            Request("base", $"{h.Registry.Host}/base:latest", "latest", import: false));

        Assert.Equal(digest, result.Status!.Import!.StatusTag("latest")!.Items[0].Image);
        Assert.Null(await h.Resources.ImageStreams.FindAsync(ImportHarness.Namespace, "base"));
        Assert.Null(await h.Resources.Images.FindAsync(null, digest));
    }

    [Fact]
    public async Task RepositoryImport_TakesTagsInPriorityOrderUpToTheCap()
    {
        await using var h = await ImportHarness.StartAsync(new ImportOptions { MaxRepositoryTags = 3 });
        foreach (var tag in new[] { "alpha", "1.0", "latest", "2.1", "v1.2.3" })
        {
            await h.PushAsync("app", tag, tag);
        }
        var request = new ImageStreamImport
        {
            Metadata = new ObjectMeta { Name = "app" },
            Spec = new ImageStreamImportSpec
            {
                Import = true,
                Repository = new RepositoryImportSpec { From = new ObjectReference { Kind = SourceKinds.DockerImage, Name = $"{h.Registry.Host}/app" } },
            },
        };

        var result = await h.Importer.ImportAsync(ImportHarness.Namespace, request);

        var repository = result.Status!.Repository!;
        Assert.Equal(["latest", "2.1", "1.0"], repository.Images!.Select(i => i.Tag));
        Assert.Equal(["v1.2.3", "alpha"], repository.AdditionalTags!);
        var stream = await h.Resources.ImageStreams.GetAsync(ImportHarness.Namespace, "app");
        Assert.Equal(["1.0", "2.1", "latest"], stream.Status!.Tags!.Select(t => t.Tag).Order());
    }

    [Fact]
    public async Task Import_WithAnInvalidReference_IsRejectedAsInvalid()
    {
        await using var h = await ImportHarness.StartAsync();

        var error = await Assert.ThrowsAsync<ApiException>(() =>
            h.Importer.ImportAsync(ImportHarness.Namespace, Request("base", "UPPER CASE!!", "latest")));

        Assert.Equal(422, error.Code);
        Assert.Contains("spec.images[0].from.name", error.Message, StringComparison.Ordinal);
    }
}
