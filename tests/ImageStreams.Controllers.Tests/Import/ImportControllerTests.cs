using ImageStreams.Controllers.Import;
using ImageStreams.Controllers.Tags;
using ImageStreams.Model.Image;
using ImageStreams.Model.Meta;
using ImageStreams.Resources;
using Microsoft.Extensions.Logging.Abstractions;

namespace ImageStreams.Controllers.Tests.Import;

public class ImportControllerTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private static async Task<ImageStream> WaitForAsync(ResourceSet resources, string name, Func<ImageStream, bool> done)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var stream = await resources.ImageStreams.FindAsync(ImportHarness.Namespace, name);
            if (stream is not null && done(stream))
            {
                return stream;
            }
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"timed out waiting for image stream {name}: {ImageStreams.Model.Serialization.ResourceJson.Serialize(stream)}");
            }
            await Task.Delay(50);
        }
    }

    private static TagReference DockerTag(string name, string from) =>
        new() { Name = name, From = new ObjectReference { Kind = SourceKinds.DockerImage, Name = from } };

    [Fact]
    public async Task AppliedStream_WithARegistryTag_IsImportedWithoutBeingAsked()
    {
        await using var h = await ImportHarness.StartAsync();
        var digest = await h.PushAsync("rhel7", "latest", "1");
        using var controller = new ImportController(h.Resources, h.Importer, new ImportOptions(), TimeProvider.System, NullLogger<ImportController>.Instance);
        await controller.StartAsync(CancellationToken.None);

        await h.Resources.ImageStreams.CreateAsync(ImportHarness.Namespace, new ImageStream
        {
            Metadata = new ObjectMeta { Name = "rhel7" },
            Spec = new ImageStreamSpec { Tags = [DockerTag("latest", $"{h.Registry.Host}/rhel7:latest")] },
        });

        var stream = await WaitForAsync(h.Resources, "rhel7", s => TagHistory.Latest(s, "latest") is not null);
        Assert.Equal(digest, TagHistory.Latest(stream, "latest")!.Image);
        Assert.False(TagHistory.NeedsImport(stream, stream.SpecTag("latest")!));
        await controller.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task GenerationReset_ReimportsTheTag()
    {
        await using var h = await ImportHarness.StartAsync();
        var first = await h.PushAsync("base", "latest", "1");
        using var controller = new ImportController(h.Resources, h.Importer, new ImportOptions(), TimeProvider.System, NullLogger<ImportController>.Instance);
        await controller.StartAsync(CancellationToken.None);
        await h.Resources.ImageStreams.CreateAsync(ImportHarness.Namespace, new ImageStream
        {
            Metadata = new ObjectMeta { Name = "base" },
            Spec = new ImageStreamSpec { Tags = [DockerTag("latest", $"{h.Registry.Host}/base:latest")] },
        });
        await WaitForAsync(h.Resources, "base", s => TagHistory.Latest(s, "latest")?.Image == first);
        var second = await h.PushAsync("base", "latest", "2");

        await h.Resources.ImageStreams.GuaranteedUpdateAsync(ImportHarness.Namespace, "base", s => s with
        {
            Spec = s.Spec with { Tags = [s.Spec.Tags![0] with { Generation = 0 }] },
        });

        var stream = await WaitForAsync(h.Resources, "base", s => TagHistory.Latest(s, "latest")?.Image == second);
        Assert.Equal([second, first], stream.StatusTag("latest")!.Items.Select(i => i.Image));
        await controller.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task TagFollowingATagOfAnotherStream_MovesWhenItsSourceMoves()
    {
        await using var h = await ImportHarness.StartAsync();
        var first = await h.PushAsync("base", "latest", "1");
        using var tracker = new TagTrackingController(h.Resources, TimeProvider.System, NullLogger<TagTrackingController>.Instance);
        await tracker.StartAsync(CancellationToken.None);
        await h.Importer.ImportAsync(ImportHarness.Namespace, new ImageStreamImport
        {
            Metadata = new ObjectMeta { Name = "base" },
            Spec = new ImageStreamImportSpec
            {
                Import = true,
                Images = [new ImageImportSpec { From = new ObjectReference { Kind = SourceKinds.DockerImage, Name = $"{h.Registry.Host}/base:latest" }, To = new LocalObjectReference { Name = "latest" } }],
            },
        });
        await h.Resources.ImageStreams.CreateAsync(ImportHarness.Namespace, new ImageStream
        {
            Metadata = new ObjectMeta { Name = "app-base" },
            Spec = new ImageStreamSpec
            {
                Tags = [new TagReference { Name = "stable", From = new ObjectReference { Kind = SourceKinds.ImageStreamTag, Name = "base:latest" } }],
            },
        });
        await WaitForAsync(h.Resources, "app-base", s => TagHistory.Latest(s, "stable")?.Image == first);

        var second = await h.PushAsync("base", "latest", "2");
        await h.Importer.ImportAsync(ImportHarness.Namespace, new ImageStreamImport
        {
            Metadata = new ObjectMeta { Name = "base" },
            Spec = new ImageStreamImportSpec
            {
                Import = true,
                Images = [new ImageImportSpec { From = new ObjectReference { Kind = SourceKinds.DockerImage, Name = $"{h.Registry.Host}/base:latest" }, To = new LocalObjectReference { Name = "latest" } }],
            },
        });

        var follower = await WaitForAsync(h.Resources, "app-base", s => TagHistory.Latest(s, "stable")?.Image == second);
        Assert.Equal([second, first], follower.StatusTag("stable")!.Items.Select(i => i.Image));
        await tracker.StopAsync(CancellationToken.None);
    }
}
