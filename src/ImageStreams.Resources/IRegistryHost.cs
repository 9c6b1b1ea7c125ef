namespace ImageStreams.Resources;

/// <summary>
/// The registry host clients pull from, <c>host:port</c>: the prefix of every stream's <c>status.dockerImageRepository</c>.
/// The server provides it, because with port 0 the port is known only once it listens.
/// </summary>
public interface IRegistryHost
{
    string HostPort { get; }
}

/// <summary>A registry host fixed up front, for processes that host resources without a listening server.</summary>
public sealed class FixedRegistryHost(string hostPort) : IRegistryHost
{
    public string HostPort { get; } = hostPort;
}
