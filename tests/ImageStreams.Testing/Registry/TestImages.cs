using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ImageStreams.Testing.Processes;

namespace ImageStreams.Testing.Registry;

/// <summary>The image format skopeo writes to the registry.</summary>
public enum TestImageFormat
{
    /// <summary>OCI image manifest (or OCI index with <c>all</c>).</summary>
    Oci,

    /// <summary>Docker schema 2 manifest (or Docker manifest list with <c>all</c>).</summary>
    DockerV2S2,
}

/// <summary>What goes into a test image's configuration.</summary>
public sealed record TestImageSpec
{
    public string Architecture { get; init; } = "amd64";
    public string Os { get; init; } = "linux";
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
    public IReadOnlyList<string> Cmd { get; init; } = [];
    public IReadOnlyList<string> Entrypoint { get; init; } = [];
    public IReadOnlyList<string> Env { get; init; } = [];
    public IReadOnlyList<string> ExposedPorts { get; init; } = [];
    public string? WorkingDir { get; init; }
    public string? User { get; init; }
    public string? Author { get; init; }

    /// <summary>Adds an (empty-layer) history entry for the config change, as image builders do.</summary>
    public bool RecordHistory { get; init; }

    /// <summary>The config's <c>created</c>; fixed by default so fixtures are reproducible.</summary>
    public DateTimeOffset Created { get; init; } = new(2024, 5, 6, 7, 8, 9, TimeSpan.Zero);
}

/// <summary>A child of a hand-written index: a tag of the layout and its platform.</summary>
public sealed record TestIndexChild(string Tag, string Os, string Architecture, string? Variant = null);

/// <summary>
/// Builds test images without a container engine: umoci makes an OCI layout with a busybox layer and
/// configs, indexes are written by hand, and skopeo pushes them (OCI or Docker schema 2, single or
/// multi-arch). Each instance has its own layout in a temp directory.
/// </summary>
public sealed class TestImages : IDisposable
{
    private const string BaseTag = "base";
    private readonly TempDirectory directory = new("test-images");
    private readonly SemaphoreSlim gate = new(1, 1);
    private bool initialized;

    /// <summary>The OCI layout directory.</summary>
    public string LayoutPath => directory.Combine("oci");

    /// <summary>Makes image <paramref name="tag"/> in the layout: the busybox layer plus <paramref name="spec"/>. Returns its manifest digest.</summary>
    public async Task<string> BuildAsync(string tag, TestImageSpec? spec = null)
    {
        spec ??= new TestImageSpec();
        await gate.WaitAsync();
        try
        {
            await InitializeAsync();
            var arguments = new List<string>
            {
                "config", "--image", $"{LayoutPath}:{BaseTag}", "--tag", tag,
                "--architecture", spec.Architecture, "--os", spec.Os,
                "--created", spec.Created.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
            };
            arguments.AddRange(spec.RecordHistory
                ? ["--history.created", spec.Created.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture), "--history.created_by", "test config"]
                : ["--no-history"]);
            foreach (var (key, value) in spec.Labels)
            {
                arguments.AddRange(["--config.label", $"{key}={value}"]);
            }
            Add(arguments, "--config.cmd", spec.Cmd);
            Add(arguments, "--config.entrypoint", spec.Entrypoint);
            Add(arguments, "--config.env", spec.Env);
            Add(arguments, "--config.exposedports", spec.ExposedPorts);
            if (spec.WorkingDir is not null)
            {
                arguments.AddRange(["--config.workingdir", spec.WorkingDir]);
            }
            if (spec.User is not null)
            {
                arguments.AddRange(["--config.user", spec.User]);
            }
            if (spec.Author is not null)
            {
                arguments.AddRange(["--author", spec.Author]);
            }
            await ProcessRunner.RunCheckedAsync("umoci", arguments);
            return Descriptor(tag)["digest"]!.GetValue<string>();
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Writes an OCI index named <paramref name="tag"/> over images already built. Returns its digest.</summary>
    public async Task<string> BuildIndexAsync(string tag, params TestIndexChild[] children)
    {
        await gate.WaitAsync();
        try
        {
            var manifests = new JsonArray();
            foreach (var child in children)
            {
                var descriptor = Descriptor(child.Tag);
                var platform = new JsonObject { ["architecture"] = child.Architecture, ["os"] = child.Os };
                if (child.Variant is not null)
                {
                    platform["variant"] = child.Variant;
                }
                manifests.Add(new JsonObject
                {
                    ["mediaType"] = descriptor["mediaType"]!.GetValue<string>(),
                    ["digest"] = descriptor["digest"]!.GetValue<string>(),
                    ["size"] = descriptor["size"]!.GetValue<long>(),
                    ["platform"] = platform,
                });
            }
            var index = new JsonObject
            {
                ["schemaVersion"] = 2,
                ["mediaType"] = "application/vnd.oci.image.index.v1+json",
                ["manifests"] = manifests,
            };
            var bytes = Encoding.UTF8.GetBytes(index.ToJsonString());
            var hex = Convert.ToHexStringLower(SHA256.HashData(bytes));
            await File.WriteAllBytesAsync(Path.Combine(LayoutPath, "blobs", "sha256", hex), bytes);
            var layout = ReadIndex();
            var entries = layout["manifests"]!.AsArray();
            foreach (var existing in entries.Where(e => RefName(e) == tag).ToList())
            {
                entries.Remove(existing);
            }
            entries.Add(new JsonObject
            {
                ["mediaType"] = "application/vnd.oci.image.index.v1+json",
                ["digest"] = "sha256:" + hex,
                ["size"] = bytes.Length,
                ["annotations"] = new JsonObject { ["org.opencontainers.image.ref.name"] = tag },
            });
            await File.WriteAllTextAsync(Path.Combine(LayoutPath, "index.json"), layout.ToJsonString());
            return "sha256:" + hex;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// Pushes layout tag <paramref name="tag"/> to <paramref name="destination"/> (<c>host:port/repo:tag</c>) with skopeo.
    /// <paramref name="all"/> copies an index with every child.
    /// </summary>
    public async Task PushAsync(string tag, string destination, TestImageFormat format = TestImageFormat.Oci, bool all = false, string? credentials = null)
    {
        var arguments = new List<string> { "--insecure-policy", "copy", "--dest-tls-verify=false", "--quiet" };
        if (format == TestImageFormat.DockerV2S2)
        {
            arguments.AddRange(["--format", "v2s2"]);
        }
        if (all)
        {
            arguments.Add("--all");
        }
        if (credentials is not null)
        {
            arguments.AddRange(["--dest-creds", credentials]);
        }
        arguments.AddRange([$"oci:{LayoutPath}:{tag}", $"docker://{destination}"]);
        await ProcessRunner.RunCheckedAsync("skopeo", arguments);
    }

    /// <summary>The manifest bytes as the registry serves them, read by skopeo.</summary>
    public static Task<byte[]> RawManifestAsync(string reference, string? credentials = null)
    {
        var arguments = new List<string> { "inspect", "--raw", "--tls-verify=false" };
        if (credentials is not null)
        {
            arguments.AddRange(["--creds", credentials]);
        }
        arguments.Add($"docker://{reference}");
        return ProcessRunner.RunForBytesAsync("skopeo", arguments);
    }

    /// <summary>The sha256 digest of the manifest skopeo reads for <paramref name="reference"/>.</summary>
    public static async Task<string> ManifestDigestAsync(string reference, string? credentials = null) =>
        "sha256:" + Convert.ToHexStringLower(SHA256.HashData(await RawManifestAsync(reference, credentials)));

    public void Dispose()
    {
        gate.Dispose();
        directory.Dispose();
    }

    private async Task InitializeAsync()
    {
        if (initialized)
        {
            return;
        }
        var busybox = new[] { "/bin/busybox", "/usr/bin/busybox" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("busybox is not installed (apt-get install busybox-static)");
        var bundle = directory.Combine("bundle");
        await ProcessRunner.RunCheckedAsync("umoci", ["init", "--layout", LayoutPath]);
        await ProcessRunner.RunCheckedAsync("umoci", ["new", "--image", $"{LayoutPath}:empty"]);
        await ProcessRunner.RunCheckedAsync("umoci", ["unpack", "--rootless", "--image", $"{LayoutPath}:empty", bundle]);
        Directory.CreateDirectory(Path.Combine(bundle, "rootfs", "bin"));
        File.Copy(busybox, Path.Combine(bundle, "rootfs", "bin", "busybox"));
        await ProcessRunner.RunCheckedAsync("umoci", ["repack", "--image", $"{LayoutPath}:{BaseTag}", bundle]);
        initialized = true;
    }

    private JsonObject ReadIndex() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(LayoutPath, "index.json")))!.AsObject();

    private JsonObject Descriptor(string tag) =>
        ReadIndex()["manifests"]!.AsArray().LastOrDefault(e => RefName(e) == tag)?.AsObject()
            ?? throw new InvalidOperationException($"no image tagged \"{tag}\" in {LayoutPath}");

    private static string? RefName(JsonNode? entry) =>
        entry?["annotations"]?["org.opencontainers.image.ref.name"]?.GetValue<string>();

    private static void Add(List<string> arguments, string flag, IEnumerable<string> values)
    {
        foreach (var value in values)
        {
            arguments.AddRange([flag, value]);
        }
    }
}
