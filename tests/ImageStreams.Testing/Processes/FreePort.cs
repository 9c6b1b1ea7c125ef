using System.Net;
using System.Net.Sockets;

namespace ImageStreams.Testing.Processes;

/// <summary>Loopback ports for peers that cannot report the port they were given.</summary>
public static class FreePort
{
    /// <summary>A port free on 127.0.0.1 right now (the kernel's choice for port 0).</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
