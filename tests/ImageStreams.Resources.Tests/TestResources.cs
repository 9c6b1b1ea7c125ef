using ImageStreams.Store.Sqlite;
using ImageStreams.Testing.Processes;

namespace ImageStreams.Resources.Tests;

/// <summary>A <see cref="ResourceSet"/> over a real SQLite store in a temporary directory.</summary>
public sealed class TestResources : IAsyncDisposable
{
    private readonly TempDirectory _data;
    private readonly SqliteObjectStore _store;

    private TestResources(TempDirectory data, SqliteObjectStore store)
    {
        _data = data;
        _store = store;
        Set = new ResourceSet(store, new Registry(), TimeProvider.System);
    }

    public ResourceSet Set { get; }

    public static async Task<TestResources> StartAsync()
    {
        var data = new TempDirectory("imagestreams-resources");
        var store = await SqliteObjectStore.OpenAsync(data.Combine("store.db"), new SqliteStoreOptions());
        var resources = new TestResources(data, store);
        await resources.Set.InitializeAsync();
        return resources;
    }

    public async ValueTask DisposeAsync()
    {
        await _store.DisposeAsync();
        _data.Dispose();
    }

    private sealed class Registry : IRegistryHost
    {
        public string HostPort => "registry.test:5000";
    }
}
