using ImageStreams.Model.Image;
using ImageStreams.Model.Meta;

namespace ImageStreams.Model.Tests.Image;

public class TagHistoryTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static TagEvent Event(string reference, string image, long generation) =>
        new() { Created = T0, DockerImageReference = reference, Image = image, Generation = generation };

    private static ImageStream StreamWith(params TagEvent[] items) => new()
    {
        Metadata = new ObjectMeta { Name = "s", Generation = 2 },
        Status = new ImageStreamStatus { Tags = [new NamedTagEventList { Tag = "latest", Items = items }] },
    };

    [Fact]
    public void AddTagEvent_ToEmptyTag_CreatesTheHistory()
    {
        var stream = new ImageStream();
        var changed = TagHistory.AddTagEvent(stream, "latest", Event("r@sha256:a", "sha256:a", 1));
        Assert.Equal("sha256:a", Assert.Single(changed.StatusTag("latest")!.Items).Image);
    }

    [Fact]
    public void AddTagEvent_SameEverything_ReturnsTheSameInstance()
    {
        var stream = StreamWith(Event("r@sha256:a", "sha256:a", 1));
        Assert.Same(stream, TagHistory.AddTagEvent(stream, "latest", Event("r@sha256:a", "sha256:a", 1)));
    }

    [Fact]
    public void AddTagEvent_SameImageNewGeneration_MovesOnlyTheGeneration()
    {
        var stream = StreamWith(Event("r@sha256:a", "sha256:a", 1));
        var item = Assert.Single(TagHistory.AddTagEvent(stream, "latest", Event("r@sha256:a", "sha256:a", 3)).StatusTag("latest")!.Items);
        Assert.Equal(3, item.Generation);
    }

    [Fact]
    public void AddTagEvent_NewReferenceSameImage_ReplacesInPlace()
    {
        var stream = StreamWith(Event("r@sha256:a", "sha256:a", 1));
        var item = Assert.Single(TagHistory.AddTagEvent(stream, "latest", Event("mirror/r@sha256:a", "sha256:a", 2)).StatusTag("latest")!.Items);
        Assert.Equal("mirror/r@sha256:a", item.DockerImageReference);
    }

    [Fact]
    public void AddTagEvent_NewImage_PrependsAHistoryItem()
    {
        var stream = StreamWith(Event("r@sha256:a", "sha256:a", 1));
        var items = TagHistory.AddTagEvent(stream, "latest", Event("r@sha256:b", "sha256:b", 2)).StatusTag("latest")!.Items;
        Assert.Equal(["sha256:b", "sha256:a"], items.Select(i => i.Image));
    }

    [Fact]
    public void SetCondition_SameFailureAgain_DoesNotChangeTheStream()
    {
        var failed = new TagEventCondition { Reason = "NotFound", Message = "m", Generation = 2, LastTransitionTime = T0 };
        var stream = TagHistory.SetCondition(StreamWith(), "latest", failed);
        Assert.Same(stream, TagHistory.SetCondition(stream, "latest", failed with { Generation = 3, LastTransitionTime = T0.AddHours(1) }));
        Assert.NotSame(stream, TagHistory.SetCondition(stream, "latest", failed with { Message = "other" }));
    }

    [Fact]
    public void SetCondition_SameFailureForANewerRequest_MovesOnlyTheGeneration()
    {
        var failed = new TagEventCondition { Reason = "NotFound", Message = "m", Generation = 2, LastTransitionTime = T0 };
        var stream = TagHistory.SetCondition(StreamWith(), "latest", failed);
        stream = stream with { Spec = new ImageStreamSpec { Tags = [new TagReference { Name = "latest", Generation = 3 }] } };

        var again = TagHistory.SetCondition(stream, "latest", failed with { Generation = 4, LastTransitionTime = T0.AddHours(1) });

        var condition = Assert.Single(again.StatusTag("latest")!.Conditions!);
        Assert.Equal(4, condition.Generation);
        Assert.Equal(T0, condition.LastTransitionTime);
    }

    [Fact]
    public void NeedsImport_FollowsTheGenerationRule()
    {
        var tag = new TagReference { Name = "latest", From = new ObjectReference { Kind = SourceKinds.DockerImage, Name = "r:latest" }, Generation = 2 };
        Assert.True(TagHistory.NeedsImport(StreamWith(Event("r@sha256:a", "sha256:a", 1)), tag));
        Assert.False(TagHistory.NeedsImport(StreamWith(Event("r@sha256:a", "sha256:a", 2)), tag));
        Assert.False(TagHistory.NeedsImport(StreamWith(), tag with { Reference = true }));
        Assert.False(TagHistory.NeedsImport(StreamWith(), tag with { From = new ObjectReference { Kind = SourceKinds.ImageStreamTag, Name = "a:b" } }));

        var failedAtTwo = TagHistory.SetCondition(StreamWith(Event("r@sha256:a", "sha256:a", 1)), "latest",
            new TagEventCondition { Reason = "NotFound", Message = "m", Generation = 2 });
        Assert.False(TagHistory.NeedsImport(failedAtTwo, tag));
    }

    [Fact]
    public void ResolveReference_LocalPolicy_PointsAtThisServer()
    {
        var stream = StreamWith(Event("quay.io/r@sha256:a", "sha256:a", 1)) with
        {
            Spec = new ImageStreamSpec { Tags = [new TagReference { Name = "latest", ReferencePolicy = new TagReferencePolicy { Type = ReferencePolicyTypes.Local } }] },
        };
        stream = stream with { Status = stream.Status! with { DockerImageRepository = "127.0.0.1:8080/ns/s" } };
        Assert.Equal("127.0.0.1:8080/ns/s@sha256:a", TagHistory.ResolveReference(stream, "latest", TagHistory.Latest(stream, "latest")!));
    }

    [Fact]
    public void UniqueImages_CountsDistinctImagesOfAllTags()
    {
        var stream = StreamWith(Event("r@sha256:b", "sha256:b", 2), Event("r@sha256:a", "sha256:a", 1));
        stream = stream with
        {
            Status = stream.Status! with
            {
                Tags = [.. stream.Status.Tags!, new NamedTagEventList { Tag = "other", Items = [Event("r@sha256:a", "sha256:a", 1)] }],
            },
        };
        Assert.Equal(2, TagHistory.UniqueImages(stream));
    }
}
