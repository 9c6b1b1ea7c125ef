using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ImageStreams.Distribution.Storage;

/// <summary>Removes abandoned uploads every <see cref="DistributionOptions.SweepInterval"/>, on the injected clock.</summary>
internal sealed partial class UploadSweeper(UploadSessions sessions, DistributionOptions options, TimeProvider time, ILogger<UploadSweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.SweepInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                var removed = sessions.SweepExpired();
                if (removed > 0)
                {
                    LogSwept(logger, removed, options.UploadExpiry);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(EventId = 51, Level = LogLevel.Information, Message = "registry: removed {Count} upload(s) untouched for {Expiry}")]
    private static partial void LogSwept(ILogger logger, int count, TimeSpan expiry);
}
