using System.Text;
using System.Text.Json.Nodes;
using ImageStreams.Store.Encryption;
using ImageStreams.Store.Sqlite;

namespace ImageStreams.Store.Tests.Encryption;

/// <summary>The whole store contract holds through encryption, with every resource of the contract encrypted.</summary>
public sealed class EncryptingObjectStoreTests : ObjectStoreContract
{
    private static readonly EncryptionKey Key = EncryptionKey.Generate();

    protected override async Task<IObjectStore> OpenStoreAsync(string directory, StoreTestLimits limits) =>
        new EncryptingObjectStore(
            await SqliteObjectStore.OpenAsync(
                Path.Combine(directory, SqliteObjectStore.DefaultFileName),
                new SqliteStoreOptions { WatchHistory = limits.WatchHistory, WatchBufferSize = limits.WatchBufferSize },
                Timeout),
            Key,
            [Streams, Secrets]);

    [Fact]
    public async Task TheDatabaseFiles_HoldNoByteOfAnEncryptedObject()
    {
        var path = Path.Combine(DataDirectory, "db", SqliteObjectStore.DefaultFileName);
        const string password = "hunter2-correct-horse";
        await using (var store = new EncryptingObjectStore(await SqliteObjectStore.OpenAsync(path, new SqliteStoreOptions(), Timeout), Key, [Secrets]))
        {
            var secret = Obj("s", password);
            secret["metadata"]!["annotations"] = new JsonObject { ["note"] = "annotated-" + password };
            await store.CreateAsync(Secret("ns", "s"), secret, Timeout);
            var read = await store.GetAsync(Secret("ns", "s"), Timeout);
            Assert.Equal(password, ValueOf(read!));
            Assert.Equal("annotated-" + password, read!.Object["metadata"]!["annotations"]!["note"]!.GetValue<string>());
        }

        var files = Directory.GetFiles(Path.GetDirectoryName(path)!).Select(File.ReadAllBytes).ToList();
        Assert.NotEmpty(files);
        Assert.All(files, bytes => Assert.Equal(-1, bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(password))));
        await using var raw = await SqliteObjectStore.OpenAsync(path, new SqliteStoreOptions(), Timeout);
        var stored = (await raw.GetAsync(Secret("ns", "s"), Timeout))!.Object;
        Assert.StartsWith("aesgcm:v1:" + Key.Id + ":", stored[EncryptingObjectStore.EncryptedField]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("s", stored["metadata"]!["name"]!.GetValue<string>());
        Assert.Null(stored["metadata"]!["annotations"]);
    }

    [Fact]
    public async Task CiphertextMovedToAnotherObject_DoesNotDecrypt()
    {
        var path = Path.Combine(DataDirectory, "moved", SqliteObjectStore.DefaultFileName);
        await using var raw = await SqliteObjectStore.OpenAsync(path, new SqliteStoreOptions(), Timeout);
        var store = new EncryptingObjectStore(raw, Key, [Secrets]);
        await store.CreateAsync(Secret("ns", "a"), Obj("a", "of-a"), Timeout);
        var ciphertext = (await raw.GetAsync(Secret("ns", "a"), Timeout))!.Object;
        ciphertext["metadata"]!["name"] = "b";
        await raw.CreateAsync(Secret("ns", "b"), ciphertext, Timeout);

        var error = await Assert.ThrowsAsync<InvalidDataException>(async () => await store.GetAsync(Secret("ns", "b"), Timeout));
        Assert.Contains("another object", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ObjectsStoredInClear_AreReadAndThenEncrypted()
    {
        var path = Path.Combine(DataDirectory, "clear", SqliteObjectStore.DefaultFileName);
        await using var raw = await SqliteObjectStore.OpenAsync(path, new SqliteStoreOptions(), Timeout);
        await raw.CreateAsync(Secret("ns", "old"), Obj("old", "plain"), Timeout);
        var store = new EncryptingObjectStore(raw, Key, [Secrets]);

        Assert.Equal("plain", ValueOf((await store.GetAsync(Secret("ns", "old"), Timeout))!));
        Assert.Equal(1, await store.EncryptStoredAsync(Timeout));
        Assert.Equal(0, await store.EncryptStoredAsync(Timeout));

        Assert.NotNull((await raw.GetAsync(Secret("ns", "old"), Timeout))!.Object[EncryptingObjectStore.EncryptedField]);
        Assert.Equal("plain", ValueOf((await store.GetAsync(Secret("ns", "old"), Timeout))!));
    }

    [Fact]
    public void TheKeyFile_IsMadeOnceWithOwnerOnlyAccess()
    {
        var path = Path.Combine(DataDirectory, EncryptionKey.DefaultFileName);
        Directory.CreateDirectory(DataDirectory);

        var first = EncryptionKey.LoadOrCreate(path);
        var again = EncryptionKey.LoadOrCreate(path);

        Assert.Equal(first.Id, again.Id);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
        File.WriteAllText(path, "not a key");
        var error = Assert.Throws<InvalidDataException>(() => EncryptionKey.LoadOrCreate(path));
        Assert.Contains("does not hold a key", error.Message, StringComparison.Ordinal);
    }
}
