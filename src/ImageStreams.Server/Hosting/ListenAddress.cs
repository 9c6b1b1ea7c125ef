using System.Globalization;
using System.Net;

namespace ImageStreams.Server.Hosting;

/// <summary>A parsed <c>--listen</c> value: <c>127.0.0.1:8080</c>, <c>[::1]:0</c>, <c>0.0.0.0:8080</c>, <c>:8080</c> or <c>localhost:8080</c>.</summary>
internal sealed record ListenAddress(IPAddress Address, int Port)
{
    public static bool TryParse(string text, out ListenAddress address)
    {
        address = new ListenAddress(IPAddress.Loopback, 0);
        var colon = text.LastIndexOf(':');
        if (colon < 0 || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
        {
            return false;
        }
        var host = text[..colon].Trim('[', ']');
        IPAddress? ip = host switch
        {
            "" or "*" => IPAddress.Any,
            "localhost" => IPAddress.Loopback,
            _ => IPAddress.TryParse(host, out var parsed) ? parsed : null,
        };
        if (ip is null)
        {
            return false;
        }
        address = new ListenAddress(ip, port);
        return true;
    }

    /// <summary>The host clients on this machine use: loopback when listening on every interface.</summary>
    public string ClientHost(int port)
    {
        var ip = Address.Equals(IPAddress.Any) ? IPAddress.Loopback : Address.Equals(IPAddress.IPv6Any) ? IPAddress.IPv6Loopback : Address;
        var host = ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{ip}]" : ip.ToString();
        return $"{host}:{port.ToString(CultureInfo.InvariantCulture)}";
    }
}
