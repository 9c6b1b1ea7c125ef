using ImageStreams.Store.Sqlite;
using Microsoft.Data.Sqlite;

namespace ImageStreams.Store.Tests.Sqlite;

public sealed class SqliteObjectStoreTests : ObjectStoreContract
{
    protected override async Task<IObjectStore> OpenStoreAsync(string directory, StoreTestLimits limits) =>
        await SqliteObjectStore.OpenAsync(
            Path.Combine(directory, SqliteObjectStore.DefaultFileName),
            new SqliteStoreOptions { WatchHistory = limits.WatchHistory, WatchBufferSize = limits.WatchBufferSize },
            Timeout);

    [Fact]
    public async Task Open_CreatesOneDatabaseFileInWalMode()
    {
        var path = Path.Combine(DataDirectory, "nested", "store.db");
        await using var store = await SqliteObjectStore.OpenAsync(path, new SqliteStoreOptions(), Timeout);
        await store.CreateAsync(Stream("ns", "a"), Obj("a"), Timeout);

        Assert.Equal(path, store.Path);
        Assert.True(File.Exists(path));
        Assert.Equal("wal", QueryScalar(path, "PRAGMA journal_mode"));
    }

    [Fact]
    public async Task CommittedWrite_IsInTheFilesBeforeTheStoreCloses()
    {
        var path = Path.Combine(DataDirectory, "live", SqliteObjectStore.DefaultFileName);
        await using var store = await SqliteObjectStore.OpenAsync(path, new SqliteStoreOptions(), Timeout);
        var written = await store.CreateAsync(Stream("ns", "a"), Obj("a", "committed"), Timeout);

        // Copying the files of an open store is what a killed process leaves behind.
        var crashed = Path.Combine(DataDirectory, "crashed", SqliteObjectStore.DefaultFileName);
        Directory.CreateDirectory(Path.GetDirectoryName(crashed)!);
        File.Copy(path, crashed);
        File.Copy(path + "-wal", crashed + "-wal");
        await using var recovered = await SqliteObjectStore.OpenAsync(crashed, new SqliteStoreOptions(), Timeout);

        var read = await recovered.GetAsync(Stream("ns", "a"), Timeout);
        Assert.Equal("committed", ValueOf(read!));
        Assert.Equal(written.ResourceVersion, await recovered.CurrentResourceVersionAsync(Timeout));
    }

    [Fact]
    public async Task Open_WhileAnotherStoreHasTheFileOpen_Fails_AndSucceedsOnceItCloses()
    {
        var path = Path.Combine(DataDirectory, SqliteObjectStore.DefaultFileName);
        var first = await SqliteObjectStore.OpenAsync(path, new SqliteStoreOptions(), Timeout);
        var written = await first.CreateAsync(Stream("ns", "a"), Obj("a"), Timeout);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => SqliteObjectStore.OpenAsync(path, new SqliteStoreOptions(), Timeout));
        await first.DisposeAsync();
        await using var second = await SqliteObjectStore.OpenAsync(path, new SqliteStoreOptions(), Timeout);

        Assert.Contains("in use", error.Message, StringComparison.Ordinal);
        Assert.Equal(written.ResourceVersion, (await second.GetAsync(written.Key, Timeout))!.ResourceVersion);
    }

    [Fact]
    public async Task Open_OfAFileFromANewerRelease_Fails()
    {
        var path = Path.Combine(DataDirectory, SqliteObjectStore.DefaultFileName);
        await (await SqliteObjectStore.OpenAsync(path, new SqliteStoreOptions(), Timeout)).DisposeAsync();
        QueryScalar(path, "PRAGMA user_version = 99");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => SqliteObjectStore.OpenAsync(path, new SqliteStoreOptions(), Timeout));

        Assert.Contains("schema version 99", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(nameof(SqliteStoreOptions.WatchHistory))]
    [InlineData(nameof(SqliteStoreOptions.WatchBufferSize))]
    [InlineData(nameof(SqliteStoreOptions.ReadConnectionPoolSize))]
    [InlineData(nameof(SqliteStoreOptions.Synchronous))]
    [InlineData(nameof(SqliteStoreOptions.BusyTimeout))]
    public async Task Open_WithASettingOutOfRange_FailsNamingIt(string setting)
    {
        var options = setting switch
        {
            nameof(SqliteStoreOptions.WatchHistory) => new SqliteStoreOptions { WatchHistory = 0 },
            nameof(SqliteStoreOptions.WatchBufferSize) => new SqliteStoreOptions { WatchBufferSize = 0 },
            nameof(SqliteStoreOptions.ReadConnectionPoolSize) => new SqliteStoreOptions { ReadConnectionPoolSize = -1 },
            nameof(SqliteStoreOptions.Synchronous) => new SqliteStoreOptions { Synchronous = (SqliteSynchronousMode)7 },
            _ => new SqliteStoreOptions { BusyTimeout = TimeSpan.FromSeconds(-1) },
        };
        var path = Path.Combine(DataDirectory, SqliteObjectStore.DefaultFileName);

        var error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => SqliteObjectStore.OpenAsync(path, options, Timeout));

        Assert.Equal(setting, error.ParamName);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void DefaultOptions_AreValid()
    {
        var options = new SqliteStoreOptions();

        options.Validate();

        Assert.Equal(10_000, options.WatchHistory);
        Assert.Equal(SqliteSynchronousMode.Full, options.Synchronous);
    }

    private static string? QueryScalar(string path, string sql)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar()?.ToString();
    }
}
