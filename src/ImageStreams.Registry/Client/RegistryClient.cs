using System.Diagnostics.Metrics;
using ImageStreams.Registry.Http;

namespace ImageStreams.Registry.Client;

/// <summary>
/// The registry client. One instance per process: it owns the connection pool and the per-registry state
/// (transport found by ping, auth challenges, tokens, 429 deadlines, concurrency slots) that callers share.
/// </summary>
public sealed class RegistryClient : IRegistryClient, IDisposable
{
    /// <summary>The meter of the client's instruments (requests by registry, method and status code).</summary>
    public const string MeterName = "ImageStreams.Registry";

    private readonly RegistryHttpPipeline pipeline;
    private readonly Meter? ownMeter;

    /// <param name="meterFactory">The host's meter factory; null gives the client a meter of its own.</param>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public RegistryClient(RegistryClientOptions? options = null, TimeProvider? timeProvider = null, IMeterFactory? meterFactory = null)
    {
        var settings = (options ?? new RegistryClientOptions()).Copy();
        settings.Validate();
        var time = timeProvider ?? TimeProvider.System;
        var meter = meterFactory?.Create(MeterName) ?? (ownMeter = new Meter(MeterName));
        pipeline = new RegistryHttpPipeline(settings, time, meter);
        var connection = new RegistryConnection(pipeline, new RegistryEndpoints(pipeline, settings, time), settings, time);
        Manifests = new ManifestOperations(connection);
        Blobs = new BlobOperations(connection);
        Tags = new TagOperations(connection);
    }

    public IManifestOperations Manifests { get; }

    public IBlobOperations Blobs { get; }

    public ITagOperations Tags { get; }

    public void Dispose()
    {
        pipeline.Dispose();
        ownMeter?.Dispose();
    }
}
