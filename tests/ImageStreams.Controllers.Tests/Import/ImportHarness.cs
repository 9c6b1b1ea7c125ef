using ImageStreams.Controllers.Import;
using ImageStreams.Model.Core;
using ImageStreams.Model.Meta;
using ImageStreams.Registry.Client;
using ImageStreams.Registry.Inspection;
using ImageStreams.Resources;
using ImageStreams.Store;
using ImageStreams.Store.Encryption;
using ImageStreams.Store.Sqlite;
using ImageStreams.Testing.Processes;
using ImageStreams.Testing.Registry;

namespace ImageStreams.Controllers.Tests.Import;

/// <summary>A store, the resources over it, an importer and a real docker-registry with images made by umoci and skopeo.</summary>
public sealed class ImportHarness : IAsyncDisposable
{
    private readonly TempDirectory directory = new("import-test");
    private IObjectStore store = null!;
    private RegistryClient client = null!;

    public ResourceSet Resources { get; private set; } = null!;
    public ImageStreamImporter Importer { get; private set; } = null!;
    public DockerRegistryPeer Registry { get; private set; } = null!;
    public TestImages Images { get; } = new();
    public const string Namespace = "playground";

    /// <param name="registry">Starts the registry peer; a plain one when null.</param>
    /// <param name="clientOptions">Options of the registry client (an access policy); the defaults when null.</param>
    public static async Task<ImportHarness> StartAsync(
        ImportOptions? options = null, Func<Task<DockerRegistryPeer>>? registry = null, RegistryClientOptions? clientOptions = null)
    {
        var harness = new ImportHarness();
        // Secrets encrypted at rest, as the server keeps them.
        harness.store = new EncryptingObjectStore(
            await SqliteObjectStore.OpenAsync(harness.directory.Combine("store.db"), new SqliteStoreOptions()), EncryptionKey.Generate(), ["secrets"]);
        harness.Resources = new ResourceSet(harness.store, new FixedRegistryHost("127.0.0.1:8080"), TimeProvider.System);
        await harness.Resources.InitializeAsync();
        await harness.Resources.Namespaces.CreateAsync(null, new Namespace { Metadata = new ObjectMeta { Name = Namespace } });
        harness.client = new RegistryClient(clientOptions);
        harness.Importer = new ImageStreamImporter(harness.Resources, new ImageInspector(harness.client), options ?? new ImportOptions(), TimeProvider.System);
        harness.Registry = await (registry ?? DockerRegistryPeer.StartAsync)();
        return harness;
    }

    /// <summary>Builds an image with a label that makes it unique, pushes it to <c>registry/repository:tag</c>, returns its digest.</summary>
    public async Task<string> PushAsync(
        string repository, string tag, string version, TestImageFormat format = TestImageFormat.Oci, string? credentials = null)
    {
        var layoutTag = $"{repository.Replace('/', '-')}-{tag}-{version}";
        await Images.BuildAsync(layoutTag, new TestImageSpec
        {
            Labels = new Dictionary<string, string> { ["version"] = version, ["name"] = repository },
            Cmd = ["/bin/sh"],
            Author = "ImageStreams tests",
        });
        await Images.PushAsync(layoutTag, $"{Registry.Host}/{repository}:{tag}", format, credentials: credentials);
        return await TestImages.ManifestDigestAsync($"{Registry.Host}/{repository}:{tag}", credentials);
    }

    public async ValueTask DisposeAsync()
    {
        await Registry.DisposeAsync();
        client.Dispose();
        await store.DisposeAsync();
        Images.Dispose();
        directory.Dispose();
    }
}
