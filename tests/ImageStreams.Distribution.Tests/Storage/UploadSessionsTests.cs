using System.Security.Cryptography;
using ImageStreams.Distribution.Errors;
using ImageStreams.Distribution.Repositories;
using ImageStreams.Distribution.Storage;
using ImageStreams.Registry.References;
using ImageStreams.Testing.Processes;
using ImageStreams.Testing.Time;

namespace ImageStreams.Distribution.Tests.Storage;

public sealed class UploadSessionsTests : IDisposable
{
    private static readonly RepositoryName Repository = Name("team/app");

    private readonly TempDirectory root = new("upload-sessions");
    private readonly ManualTimeProvider time = new();
    private readonly DistributionOptions options;
    private readonly StorageLayout layout;
    private readonly BlobStore blobs;
    private readonly RepositoryLinks links;

    public UploadSessionsTests()
    {
        options = new DistributionOptions { RootDirectory = root.Path, MaxOpenUploads = 3, UploadExpiry = TimeSpan.FromMinutes(10) };
        layout = new StorageLayout(root.Path);
        blobs = new BlobStore(layout);
        blobs.DeleteTemporaryFiles();
        links = new RepositoryLinks(layout);
    }

    public void Dispose() => root.Dispose();

    [Fact]
    public async Task AnUploadUntouchedForLongerThanTheExpiry_IsSweptAway_WhileAnActiveOneStays()
    {
        using var sessions = Sessions();
        var idle = sessions.Start(Repository);
        time.Advance(TimeSpan.FromMinutes(6));
        var active = sessions.Start(Repository);
        time.Advance(TimeSpan.FromMinutes(5));

        var removed = sessions.SweepExpired();

        Assert.Equal(1, removed);
        Assert.Throws<DistributionException>(() => sessions.Find(Repository, idle.Id));
        Assert.Same(active, sessions.Find(Repository, active.Id));
        Assert.False(Directory.Exists(layout.Upload(idle.Id)));
    }

    [Fact]
    public void OneUploadMoreThanTheLimit_IsTooManyRequests()
    {
        using var sessions = Sessions();
        for (var i = 0; i < options.MaxOpenUploads; i++)
        {
            sessions.Start(Repository);
        }

        var error = Assert.Throws<DistributionException>(() => sessions.Start(Repository));

        Assert.Equal("TOOMANYREQUESTS", error.Code);
        Assert.Equal(429, error.Status);
    }

    [Fact]
    public async Task AnUploadLeftByAPreviousRun_IsTakenBack_AndCompletesAfterHashingWhatItHas()
    {
        var content = RandomNumberGenerator.GetBytes(70_000);
        string id;
        using (var before = Sessions())
        {
            var session = before.Start(Repository);
            id = session.Id;
            await before.AppendAsync(session, new MemoryStream(content[..30_000]), null, "", CancellationToken.None);
        }

        using var after = Sessions();
        var restored = after.Find(Repository, id);
        await after.AppendAsync(restored, new MemoryStream(content[30_000..]), 30_000, "", CancellationToken.None);
        await after.CompleteAsync(restored, Digest.Compute(content), CancellationToken.None);

        Assert.Equal(content, await blobs.ReadAsync(Digest.Compute(content), long.MaxValue, CancellationToken.None));
        Assert.True(links.HasBlob(Repository, Digest.Compute(content)));
        Assert.Equal(0, after.Count);
    }

    [Fact]
    public async Task AChunkThatDoesNotStartWhereTheUploadStands_Is416_AndChangesNothing()
    {
        using var sessions = Sessions();
        var session = sessions.Start(Repository);
        await sessions.AppendAsync(session, new MemoryStream(new byte[10]), 0, "", CancellationToken.None);

        var error = await Assert.ThrowsAsync<DistributionException>(() =>
            sessions.AppendAsync(session, new MemoryStream(new byte[10]), 5, "/v2/team/app/blobs/uploads/x", CancellationToken.None));

        Assert.Equal(416, error.Status);
        Assert.Equal("0-9", error.Headers["Range"]);
        Assert.Equal(10, session.Offset);
    }

    private UploadSessions Sessions() => new(layout, blobs, links, options, time);

    private static RepositoryName Name(string value) =>
        RepositoryName.TryParse(value, out var name, out var error) ? name : throw new ArgumentException(error);
}
