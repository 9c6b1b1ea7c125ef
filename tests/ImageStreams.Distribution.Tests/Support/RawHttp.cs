using System.Net.Sockets;
using System.Text;

namespace ImageStreams.Distribution.Tests.Support;

/// <summary>
/// Requests written byte by byte on a socket, for what HttpClient will not send: paths with dot segments or escapes
/// left as they are, and bodies shorter than their Content-Length.
/// </summary>
public static class RawHttp
{
    /// <summary>Sends <paramref name="head"/> (request line and headers) and <paramref name="body"/>, then reads the whole answer.</summary>
    public static async Task<(int Status, string Text)> SendAsync(string host, string head, byte[]? body = null, bool closeAfterBody = false)
    {
        var (address, port) = Split(host);
        using var client = new TcpClient();
        await client.ConnectAsync(address, port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.Replace("\n", "\r\n", StringComparison.Ordinal) + "\r\n"));
        if (body is not null)
        {
            await stream.WriteAsync(body);
        }
        if (closeAfterBody)
        {
            // The peer sees the body end early: what a client that dies half way through an upload does.
            client.Client.Shutdown(SocketShutdown.Send);
        }
        using var reader = new StreamReader(stream, Encoding.UTF8);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        string text;
        try
        {
            text = await reader.ReadToEndAsync(timeout.Token);
        }
        catch (IOException)
        {
            return (0, "");
        }
        var status = text.Length >= 12 && int.TryParse(text.AsSpan(9, 3), out var code) ? code : 0;
        return (status, text);
    }

    private static (string Address, int Port) Split(string host)
    {
        var colon = host.LastIndexOf(':');
        return (host[..colon], int.Parse(host[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }
}
