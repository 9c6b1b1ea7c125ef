using ImageStreams.Model.Image;
using ImageStreams.Model.Meta;

namespace ImageStreams.Resources.Tests;

public class ResourceClientTests
{
    private static ImageStream Stream(string name, string from) => new()
    {
        Metadata = new ObjectMeta { Name = name },
        Spec = new ImageStreamSpec
        {
            Tags = [new TagReference { Name = "latest", From = new ObjectReference { Kind = SourceKinds.DockerImage, Name = from } }],
        },
    };

    [Fact]
    public async Task GuaranteedUpdate_RetriesWithAFreshReadWhenAnotherWriterWins()
    {
        await using var resources = await TestResources.StartAsync();
        var streams = resources.Set.ImageStreams;
        await streams.CreateAsync("default", Stream("app", "quay.io/x/app:1"));
        var calls = 0;

        var updated = await streams.GuaranteedUpdateAsync("default", "app", async (current, cancellationToken) =>
        {
            if (++calls == 1)
            {
                // Another writer changes the stream between this read and this write.
                await streams.UpdateAsync("default", current with { Metadata = current.Metadata.WithAnnotation("other", "writer") }, cancellationToken: cancellationToken);
            }
            return current with { Metadata = current.Metadata with { Labels = new Dictionary<string, string> { ["mine"] = "yes" } } };
        });

        Assert.Equal(2, calls);
        Assert.Equal("yes", updated.Metadata.Labels!["mine"]);
        Assert.Equal("writer", updated.Metadata.Annotation("other"));
    }

    [Fact]
    public async Task GuaranteedUpdate_ThatChangesNothing_WritesNothing()
    {
        await using var resources = await TestResources.StartAsync();
        var streams = resources.Set.ImageStreams;
        var created = await streams.CreateAsync("default", Stream("app", "quay.io/x/app:1"));

        var same = await streams.GuaranteedUpdateAsync("default", "app", current => current with { });

        Assert.Equal(created.Metadata.ResourceVersion, same.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task UpdateWithScopeAll_WritesSpecAndStatusTogether_AsImportsDo()
    {
        await using var resources = await TestResources.StartAsync();
        var streams = resources.Set.ImageStreams;
        var created = await streams.CreateAsync("default", Stream("app", "quay.io/x/app:1"));
        var digest = "sha256:" + new string('d', 64);

        var imported = await streams.UpdateAsync("default", created with
        {
            Spec = created.Spec with { Tags = [created.Spec.Tags![0] with { From = new ObjectReference { Kind = SourceKinds.DockerImage, Name = "quay.io/x/app:2" } }] },
            Status = new ImageStreamStatus
            {
                Tags = [new NamedTagEventList { Tag = "latest", Items = [new TagEvent { Image = digest, DockerImageReference = $"quay.io/x/app@{digest}", Generation = 2, Created = DateTimeOffset.UnixEpoch }] }],
            },
        }, new WriteOptions(WriteScope.All));

        Assert.Equal(2, imported.Metadata.Generation);
        Assert.Equal(2, imported.Spec.Tags![0].Generation);
        Assert.Equal(digest, imported.StatusTag("latest")!.Items[0].Image);
        Assert.Equal("registry.test:5000/default/app", imported.Status!.DockerImageRepository);
    }

    [Fact]
    public async Task TypedWatch_StartsWithTheCurrentObjects_ThenABookmark_ThenChanges()
    {
        await using var resources = await TestResources.StartAsync();
        var streams = resources.Set.ImageStreams;
        await streams.CreateAsync("default", Stream("first", "quay.io/x/a:1"));
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var events = new List<WatchEvent<ImageStream>>();

        await foreach (var e in streams.WatchAsync("default", cancellationToken: cancel.Token))
        {
            events.Add(e);
            if (e.Type == WatchEvent<ImageStream>.Bookmark)
            {
                await streams.CreateAsync("default", Stream("second", "quay.io/x/b:1"), cancellationToken: cancel.Token);
            }
            if (events.Count == 3)
            {
                break;
            }
        }

        Assert.Equal(["ADDED", "BOOKMARK", "ADDED"], events.Select(e => e.Type));
        Assert.Equal(["first", null, "second"], events.Select(e => e.Object.Metadata.Name));
    }

    [Fact]
    public async Task DeletingANamespace_FromTheTypedClient_TakesItsStreamsAlong()
    {
        await using var resources = await TestResources.StartAsync();
        await resources.Set.Namespaces.CreateAsync(null, new Model.Core.Namespace { Metadata = new ObjectMeta { Name = "team" } });
        await resources.Set.ImageStreams.CreateAsync("team", Stream("app", "quay.io/x/app:1"));

        await resources.Set.Namespaces.DeleteAsync(null, "team");

        Assert.Empty((await resources.Set.ImageStreams.ListAsync(null)).Items);
        var error = await Assert.ThrowsAsync<ApiException>(async () => await resources.Set.ImageStreams.CreateAsync("team", Stream("late", "quay.io/x/app:1")));
        Assert.Equal(404, error.Code);
    }
}
