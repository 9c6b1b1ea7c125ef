using ImageStreams.Registry.Auth;
using ImageStreams.Resources;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ImageStreams.Server.Security;

/// <summary>
/// The server's own identity (<see cref="UserInfo.ControllerName"/>, edit in every namespace) for in-process clients of
/// its registry: a token of <see cref="Lifetime"/>, renewed at half its life, so a leaked one soon stops working.
/// Expired tokens of every user are deleted on the same beat.
/// </summary>
internal sealed partial class IntegratedRegistryCredentials(
    AccessTokens tokens, IRegistryHost registry, TimeProvider time, ILogger<IntegratedRegistryCredentials> logger)
    : BackgroundService, IIntegratedRegistryCredentials
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);

    private volatile RegistryCredential? current;

    public string RegistryHost => registry.HostPort;

    public RegistryCredential? Resolve(string registryHost, string repository) =>
        string.Equals(registryHost, RegistryHost, StringComparison.OrdinalIgnoreCase) ? current : null;

    /// <summary>Issues a fresh token (the old one lapses by itself).</summary>
    public async Task RenewAsync(CancellationToken cancellationToken)
    {
        var (token, _) = await tokens.IssueAsync(UserInfo.ControllerName, Lifetime, "controllers", cancellationToken).ConfigureAwait(false);
        // The user name beside a token is not checked; "serviceaccount" is what OpenShift writes beside service account tokens.
        current = new RegistryCredential("serviceaccount", token);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Lifetime / 2, time, stoppingToken).ConfigureAwait(false);
                await RenewAsync(stoppingToken).ConfigureAwait(false);
                await tokens.DeleteExpiredAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogRenewFailed(logger, e);
            }
        }
    }

    [LoggerMessage(EventId = 62, Level = LogLevel.Error, Message = "renewing the server's registry token failed; retrying at the next interval")]
    private static partial void LogRenewFailed(ILogger logger, Exception exception);
}
