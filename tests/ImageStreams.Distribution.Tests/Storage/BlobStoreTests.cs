using System.Security.Cryptography;
using ImageStreams.Distribution.Errors;
using ImageStreams.Distribution.Storage;
using ImageStreams.Registry.References;
using ImageStreams.Testing.Processes;

namespace ImageStreams.Distribution.Tests.Storage;

public sealed class BlobStoreTests : IDisposable
{
    private readonly TempDirectory root = new("blob-store");
    private readonly BlobStore store;

    public BlobStoreTests()
    {
        store = new BlobStore(new StorageLayout(root.Path));
        store.DeleteTemporaryFiles();
    }

    public void Dispose() => root.Dispose();

    [Fact]
    public async Task ContentOfAnotherDigest_IsDigestInvalid_AndLeavesNoFileBehind()
    {
        var content = RandomNumberGenerator.GetBytes(1000);
        var claimed = Digest.Compute(RandomNumberGenerator.GetBytes(10));
        var file = store.CreateTemp();
        await file.AppendAsync(content, CancellationToken.None);

        var error = await Assert.ThrowsAsync<DistributionException>(() => store.PublishAsync(file, claimed, CancellationToken.None));

        Assert.Equal("DIGEST_INVALID", error.Code);
        Assert.Null(store.Size(claimed));
        Assert.Null(store.Size(Digest.Compute(content)));
        Assert.Empty(Directory.GetFiles(root.Path, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task ManyWritersOfTheSameBlobAtOnce_AllSucceed_AndReadersSeeItWhole()
    {
        var content = RandomNumberGenerator.GetBytes(3 * HashingFile.BufferSize + 17);
        var digest = Digest.Compute(content);

        await Task.WhenAll(Enumerable.Range(0, 16).Select(async _ =>
        {
            var file = store.CreateTemp();
            await using (var source = new MemoryStream(content))
            {
                await file.AppendAsync(source, CancellationToken.None);
            }
            await store.PublishAsync(file, digest, CancellationToken.None);
            await using var read = store.OpenRead(digest)!;
            Assert.Equal(content.Length, read.Length);
        }));

        Assert.Equal(content, await store.ReadAsync(digest, long.MaxValue, CancellationToken.None));
        Assert.Empty(Directory.GetFiles(Path.Combine(root.Path, "tmp")));
    }

    [Fact]
    public async Task ADigestOfAnotherAlgorithm_IsCheckedByReadingTheFileBack()
    {
        var content = RandomNumberGenerator.GetBytes(5000);
        var digest = Digest.Compute(Digest.Sha512, content);
        var file = store.CreateTemp();
        await file.AppendAsync(content, CancellationToken.None);

        await store.PublishAsync(file, digest, CancellationToken.None);

        Assert.Equal(content.Length, store.Size(digest));
    }
}
