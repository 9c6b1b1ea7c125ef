using System.Text.Json.Nodes;
using ImageStreams.Builder.Native;
using ImageStreams.Registry.Client;
using ImageStreams.Registry.References;
using ImageStreams.Testing.Processes;
using ImageStreams.Testing.Registry;

namespace ImageStreams.Builder.Tests;

/// <summary>A docker-registry with a busybox base image made by umoci and pushed by skopeo, a registry client and a builder.</summary>
internal sealed class BuildEnvironment : IAsyncDisposable
{
    private readonly TempDirectory work = new("builder-tests");

    private BuildEnvironment(DockerRegistryPeer registry)
    {
        Registry = registry;
        Options = new BuilderOptions { WorkDirectory = work.Combine("work") };
        Native = new NativeImageBuilder(Client, Options);
    }

    public DockerRegistryPeer Registry { get; }

    public TestImages Images { get; } = new();

    public RegistryClient Client { get; } = new(new RegistryClientOptions { InitialBackoff = TimeSpan.FromMilliseconds(5), MaxBackoff = TimeSpan.FromMilliseconds(20) });

    public BuilderOptions Options { get; }

    public NativeImageBuilder Native { get; }

    public static async Task<BuildEnvironment> StartAsync() => new(await DockerRegistryPeer.StartAsync());

    /// <summary>Pushes the busybox base (labels, env, cmd as given) to <paramref name="repositoryAndTag"/>; returns its reference.</summary>
    public async Task<ImageReference> PushBaseAsync(string repositoryAndTag = "library/base:1", TestImageFormat format = TestImageFormat.Oci, TestImageSpec? spec = null)
    {
        var tag = "t" + Guid.NewGuid().ToString("N")[..8];
        await Images.BuildAsync(tag, spec ?? new TestImageSpec
        {
            Cmd = ["/bin/sh"],
            Env = ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
            Labels = new Dictionary<string, string> { ["base"] = "yes" },
            RecordHistory = true,
        });
        var reference = $"{Registry.Host}/{repositoryAndTag}";
        await Images.PushAsync(tag, reference, format);
        return ImageReference.Parse(reference);
    }

    /// <summary>A fresh context directory with the given files (relative path -> content).</summary>
    public string Context(IReadOnlyDictionary<string, string> files)
    {
        var directory = work.Combine("ctx-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(directory);
        foreach (var (path, content) in files)
        {
            var full = Path.Combine(directory, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, content);
        }
        return directory;
    }

    public ImageReference Output(string repositoryAndTag) => ImageReference.Parse($"{Registry.Host}/{repositoryAndTag}");

    /// <summary>The image config as stored, read by <c>skopeo inspect --raw --config</c>.</summary>
    public static async Task<JsonObject> SkopeoConfigAsync(string reference) =>
        JsonNode.Parse((await ProcessRunner.RunCheckedAsync("skopeo", ["inspect", "--tls-verify=false", "--raw", "--config", $"docker://{reference}"])).StandardOutput)!.AsObject();

    /// <summary>What <c>skopeo inspect</c> says about an image (layers, labels, digest).</summary>
    public static async Task<JsonObject> SkopeoInspectAsync(string reference) =>
        JsonNode.Parse((await ProcessRunner.RunCheckedAsync("skopeo", ["inspect", "--tls-verify=false", $"docker://{reference}"])).StandardOutput)!.AsObject();

    /// <summary>The raw manifest skopeo reads.</summary>
    public static async Task<JsonObject> SkopeoManifestAsync(string reference) =>
        JsonNode.Parse(await TestImages.RawManifestAsync(reference))!.AsObject();

    /// <summary>The digests of every blob the registry stores (layers, configs and manifests).</summary>
    public IReadOnlySet<string> StoredBlobs()
    {
        var root = Path.Combine(Registry.DataDirectory, "docker", "registry", "v2", "blobs", "sha256");
        return Directory.Exists(root)
            ? Directory.EnumerateDirectories(root).SelectMany(Directory.EnumerateDirectories).Select(d => "sha256:" + Path.GetFileName(d)).ToHashSet()
            : new HashSet<string>();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        Images.Dispose();
        await Registry.DisposeAsync();
        work.Dispose();
    }
}
