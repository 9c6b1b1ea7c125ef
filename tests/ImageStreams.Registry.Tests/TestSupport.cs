using ImageStreams.Registry.Client;
using ImageStreams.Registry.Errors;
using ImageStreams.Testing.Registry;

namespace ImageStreams.Registry.Tests;

/// <summary>Clients with short backoffs, so retry tests take milliseconds.</summary>
internal static class TestClients
{
    public static RegistryClient Create(Action<RegistryClientOptions>? configure = null, TimeProvider? time = null)
    {
        var options = new RegistryClientOptions
        {
            InitialBackoff = TimeSpan.FromMilliseconds(5),
            MaxBackoff = TimeSpan.FromMilliseconds(20),
            RequestTimeout = TimeSpan.FromSeconds(20),
            UserAgent = "imagestreams-tests/1.0",
        };
        configure?.Invoke(options);
        return new RegistryClient(options, time);
    }

    /// <summary>Socket connection that sends <paramref name="alias"/> to 127.0.0.1, for registries that must not look local.</summary>
    public static Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>> ConnectAliasToLoopback(string alias) =>
        async (context, cancellationToken) =>
        {
            var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp) { NoDelay = true };
            try
            {
                var host = context.DnsEndPoint.Host == alias ? "127.0.0.1" : context.DnsEndPoint.Host;
                await socket.ConnectAsync(host, context.DnsEndPoint.Port, cancellationToken);
                return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        };

    public static async Task<RegistryException> FailsWith(RegistryErrorReason reason, Func<Task> action)
    {
        var error = await Assert.ThrowsAsync<RegistryException>(action);
        Assert.True(error.Reason == reason, $"expected {reason}, got {error.Reason}: {error.Message}");
        return error;
    }
}

/// <summary>A docker-registry peer plus an image builder; pushes the fixtures tests ask for.</summary>
internal sealed class RegistryWithImages : IAsyncDisposable
{
    private RegistryWithImages(DockerRegistryPeer registry)
    {
        Registry = registry;
    }

    public DockerRegistryPeer Registry { get; }

    public TestImages Images { get; } = new();

    public static async Task<RegistryWithImages> StartAsync() => new(await DockerRegistryPeer.StartAsync());

    public static TestImageSpec AppSpec(string architecture = "amd64") => new()
    {
        Architecture = architecture,
        Labels = new Dictionary<string, string> { ["io.example.name"] = "app", ["arch"] = architecture },
        Cmd = ["/bin/sh", "-c", "echo hello"],
        Entrypoint = ["/bin/busybox"],
        Env = ["PATH=/bin", "GREETING=hi"],
        ExposedPorts = ["8080/tcp"],
        WorkingDir = "/work",
        User = "1001",
        Author = "tests@example.com",
    };

    /// <summary>Pushes a one-platform image; returns its reference (<c>127.0.0.1:port/repo:tag</c>).</summary>
    public async Task<string> PushImageAsync(string repositoryAndTag, TestImageFormat format = TestImageFormat.Oci, TestImageSpec? spec = null, string? credentials = null)
    {
        var tag = "img-" + Guid.NewGuid().ToString("N")[..8];
        await Images.BuildAsync(tag, spec ?? AppSpec());
        var reference = $"{Registry.Host}/{repositoryAndTag}";
        await Images.PushAsync(tag, reference, format, credentials: credentials);
        return reference;
    }

    /// <summary>Pushes an amd64 + arm64/v8 index (OCI) or manifest list (Docker); returns its reference.</summary>
    public async Task<string> PushMultiArchAsync(string repositoryAndTag, TestImageFormat format = TestImageFormat.Oci)
    {
        await Images.BuildAsync("amd64", AppSpec("amd64"));
        await Images.BuildAsync("arm64", AppSpec("arm64") with { Created = new DateTimeOffset(2024, 9, 9, 9, 9, 9, TimeSpan.Zero) });
        await Images.BuildIndexAsync("multi", new TestIndexChild("amd64", "linux", "amd64"), new TestIndexChild("arm64", "linux", "arm64", "v8"));
        var reference = $"{Registry.Host}/{repositoryAndTag}";
        await Images.PushAsync("multi", reference, format, all: true);
        return reference;
    }

    public async ValueTask DisposeAsync()
    {
        Images.Dispose();
        await Registry.DisposeAsync();
    }
}
