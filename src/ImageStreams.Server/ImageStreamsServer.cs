namespace ImageStreams.Server;

/// <summary>The whole server in one process: API, and later registry, controllers and console.</summary>
public sealed class ImageStreamsServer : IAsyncDisposable
{
    private ImageStreamsServer(Uri baseAddress)
    {
        BaseAddress = baseAddress;
    }

    /// <summary>The address clients use, such as http://127.0.0.1:8080/ (the real port when Listen asked for port 0).</summary>
    public Uri BaseAddress { get; }

    /// <summary>Starts the server; returns once it accepts requests.</summary>
    public static Task<ImageStreamsServer> StartAsync(ServerOptions options, CancellationToken cancellationToken = default)
    {
        options.Validate();
        throw new NotImplementedException();
    }

    /// <summary>Completes when the server has stopped (on a signal, or after <see cref="DisposeAsync"/>).</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
