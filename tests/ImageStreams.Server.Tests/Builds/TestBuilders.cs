using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using ImageStreams.Builder;
using ImageStreams.Registry.References;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ImageStreams.Server.Tests.Builds;

/// <summary>
/// An image builder for tests of the build machinery (queue, run policy, cancellation, logs), where the image is not
/// what is tested: it records each request and the files of its context, writes two log lines, and waits for the test
/// to release it when built with a gate. Its digest is derived from the output name and the call number.
/// </summary>
public sealed class RecordingBuilder : IImageBuilder
{
    private readonly SemaphoreSlim? _gate;
    private int _calls;

    public RecordingBuilder(bool gated = false) => _gate = gated ? new SemaphoreSlim(0) : null;

    /// <summary>The output of each call, in the order they started.</summary>
    public ConcurrentQueue<string> Started { get; } = new();

    /// <summary>The files each call found in its context, in the order they started.</summary>
    public ConcurrentQueue<IReadOnlyList<string>> ContextFiles { get; } = new();

    /// <summary>The requests, in the order they started.</summary>
    public ConcurrentQueue<BuildRequest> Requests { get; } = new();

    private int _cancelled;
    private int _running;

    /// <summary>Calls whose token fired while they ran.</summary>
    public int Cancelled => Volatile.Read(ref _cancelled);

    /// <summary>Calls running now.</summary>
    public int Running => Volatile.Read(ref _running);

    /// <summary>Fails every build with this reason and message when set.</summary>
    public (string Reason, string Message)? Failure { get; set; }

    /// <summary>Lets one waiting build finish.</summary>
    public void Release(int count = 1) => _gate!.Release(count);

    public async Task<BuildResult> BuildAsync(BuildRequest request, TextWriter log, CancellationToken cancellationToken = default)
    {
        var call = Interlocked.Increment(ref _calls);
        Interlocked.Increment(ref _running);
        try
        {
            Started.Enqueue(request.Output.ToString());
            Requests.Enqueue(request);
            ContextFiles.Enqueue(Directory.GetFiles(request.ContextDirectory, "*", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(request.ContextDirectory, f)).Order(StringComparer.Ordinal).ToList());
            await log.WriteLineAsync($"STEP 1: building {request.Output}");
            if (_gate is not null)
            {
                try
                {
                    await _gate.WaitAsync(cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    Interlocked.Increment(ref _cancelled);
                    throw;
                }
            }
            if (Failure is { } failure)
            {
                throw new BuildException(failure.Reason, failure.Message);
            }
            await log.WriteLineAsync("STEP 2: done");
            var digest = Digest.Parse("sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{request.Output}#{call}"))));
            return new BuildResult { ImageDigest = digest, Base = request.Base, Builder = "recording" };
        }
        finally
        {
            Interlocked.Decrement(ref _running);
        }
    }

    /// <summary>Puts this builder in place of the server's own.</summary>
    public Action<IServiceCollection> Services => services =>
    {
        services.RemoveAll<IImageBuilder>();
        services.AddSingleton<IImageBuilder>(this);
    };
}
