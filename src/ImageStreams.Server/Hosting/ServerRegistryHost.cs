using ImageStreams.Resources;

namespace ImageStreams.Server.Hosting;

/// <summary>
/// The registry host of status.dockerImageRepository: the configured name, else the address the server listens on,
/// which is known only once Kestrel has bound its port.
/// </summary>
internal sealed class ServerRegistryHost(ServerOptions options) : IRegistryHost
{
    private string? _listening;

    public string HostPort => !string.IsNullOrEmpty(options.RegistryHostname)
        ? options.RegistryHostname
        : _listening ?? throw new InvalidOperationException("the registry host is not known before the server listens");

    public void SetListening(string hostPort) => _listening = hostPort;
}
