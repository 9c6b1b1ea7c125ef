using System.Text.Json.Nodes;
using ImageStreams.Server;
using ImageStreams.Testing.Processes;
using ImageStreams.Testing.Registry;

namespace ImageStreams.Cli.Tests.EndToEnd;

/// <summary>
/// A real server whose repository imports stop at <see cref="MaxRepositoryTags"/> tags, next to Debian's docker-registry
/// holding images made by umoci and pushed by skopeo.
/// </summary>
public sealed class RegistryFixture : IAsyncLifetime
{
    /// <summary>Small, so a repository of a few tags shows what --all leaves out.</summary>
    public const int MaxRepositoryTags = 3;

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private readonly TempDirectory dataDirectory = new("isctl-import-server");

    public ImageStreamsServer Server { get; private set; } = null!;
    public DockerRegistryPeer Registry { get; private set; } = null!;
    public TestImages Images { get; } = new();

    /// <summary>http://127.0.0.1:PORT of the server.</summary>
    public string Address => Server.BaseAddress.ToString().TrimEnd('/');

    /// <summary>The admin's token.</summary>
    public string Token => Server.AdminToken;

    /// <summary>127.0.0.1:PORT of the server, the host of its streams' repositories.</summary>
    public string ServerHost => Server.BaseAddress.Authority;

    public async Task InitializeAsync()
    {
        Registry = await DockerRegistryPeer.StartAsync();
        Server = await ImageStreamsServer.StartAsync(new ServerOptions
        {
            Listen = "127.0.0.1:0",
            DataDir = dataDirectory.Path,
            MaxRepositoryTags = MaxRepositoryTags,
        });
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        await Registry.DisposeAsync();
        Images.Dispose();
        dataDirectory.Dispose();
    }

    /// <summary>
    /// Builds an image shaped like seed 000's rhel7 (labels, command, author, environment), made unique by
    /// <paramref name="release"/>, pushes it to the registry as <c>repository:tag</c> and returns its manifest digest.
    /// </summary>
    public async Task<string> PushAsync(string repository, string tag, string release)
    {
        var layoutTag = $"{repository.Replace('/', '-')}-{release}";
        await Images.BuildAsync(layoutTag, new TestImageSpec
        {
            Labels = new Dictionary<string, string>
            {
                ["architecture"] = "x86_64",
                ["name"] = repository,
                ["release"] = release,
                ["vendor"] = "Red Hat, Inc.",
                ["version"] = "7.6",
            },
            Cmd = ["/bin/bash"],
            Author = "Red Hat, Inc.",
            Env = ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "container=oci"],
        });
        var reference = $"{Registry.Host}/{repository}:{tag}";
        await Images.PushAsync(layoutTag, reference);
        return await TestImages.ManifestDigestAsync(reference);
    }

    /// <summary>Reads an object through isctl until <paramref name="done"/> holds, for what controllers do in the background.</summary>
    public static async Task<JsonObject> WaitForAsync(CliRunner cli, string ns, string[] what, Func<JsonObject, bool> done)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var result = await cli.RunAsync(["get", .. what, "-n", ns, "-o", "json"]);
            if (result.ExitCode == 0 && JsonNode.Parse(result.Out) is JsonObject obj && done(obj))
            {
                return obj;
            }
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"timed out waiting for {string.Join(' ', what)}: {result}");
            }
            await Task.Delay(100);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class RegistryCollection : ICollectionFixture<RegistryFixture>
{
    public const string Name = "registry";
}
