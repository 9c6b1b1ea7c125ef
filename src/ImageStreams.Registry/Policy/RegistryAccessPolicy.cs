using System.Net;
using System.Net.Sockets;
using ImageStreams.Registry.Errors;
using ImageStreams.Registry.References;

namespace ImageStreams.Registry.Policy;

/// <summary>
/// Which registries the server may reach, as OpenShift's <c>allowedRegistriesForImport</c> and <c>blockedRegistries</c>:
/// an image comes only from a registry that is allowed (every one when the list is empty) and not blocked, and over plain
/// HTTP or unverified TLS only from a registry allowed to be insecure (loopback always is, as Docker treats it).
/// Whatever the lists say, no connection goes to a link-local or cloud metadata address, nor to a blocked host through a
/// token realm or a redirect, so a registry cannot turn the server against the network it runs in.
/// </summary>
public sealed class RegistryAccessPolicy
{
    /// <summary>Every registry allowed; only the address rules apply.</summary>
    public static RegistryAccessPolicy Open { get; } = new();

    /// <summary>Registries images may come from; empty allows every registry that is not blocked.</summary>
    public IReadOnlyList<RegistryPattern> Allowed { get; init; } = [];

    /// <summary>Registries never reached, not even through a token realm or a redirect.</summary>
    public IReadOnlyList<RegistryPattern> Blocked { get; init; } = [];

    /// <summary>
    /// Registries besides loopback that may be imported from with the insecure flag; null (the default of the client library)
    /// lets the flag work for every registry.
    /// </summary>
    public IReadOnlyList<RegistryPattern>? Insecure { get; init; }

    /// <summary>Why the image may not be imported (a Forbidden error), or null when it may.</summary>
    public RegistryException? Refusal(ImageReference reference, bool insecure)
    {
        if (Blocked.FirstOrDefault(p => p.Matches(reference.Registry, reference.Repository)) is { } blocked)
        {
            return RegistryErrors.Forbidden(reference.Exact(), $"registry \"{reference.Registry}\" is blocked by the server's import policy ({blocked})");
        }
        if (Allowed.Count > 0 && !Allowed.Any(p => p.Matches(reference.Registry, reference.Repository)))
        {
            return RegistryErrors.Forbidden(reference.Exact(),
                $"registry \"{reference.Registry}\" is not allowed by the server's import policy (allowed: {string.Join(", ", Allowed)})");
        }
        if (insecure && Insecure is not null && !ImageReference.IsLoopback(reference.RegistryHost) && !Insecure.Any(p => p.Matches(reference.Registry, reference.Repository)))
        {
            return RegistryErrors.Forbidden(reference.Exact(),
                $"insecure access to registry \"{reference.Registry}\" is not allowed by the server's import policy (--insecure-registries)");
        }
        return null;
    }

    /// <summary>Why no connection may go to <paramref name="host"/> on <paramref name="port"/> (a blocked host or a forbidden address literal), or null.</summary>
    public string? RefuseHost(string host, int port)
    {
        host = host.Trim('[', ']');
        var hostPort = host.Contains(':', StringComparison.Ordinal) ? $"[{host}]:{port}" : $"{host}:{port}";
        if (Blocked.FirstOrDefault(p => p.Matches(hostPort, null)) is { } blocked)
        {
            return $"host \"{host}\" is blocked by the server's import policy ({blocked})";
        }
        return IPAddress.TryParse(host, out var address) ? RefuseAddress(address) : null;
    }

    /// <summary>Why no connection may go to <paramref name="address"/> (link-local, cloud metadata, unspecified), or null.</summary>
    public static string? RefuseAddress(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        var forbidden = address.AddressFamily switch
        {
            AddressFamily.InterNetwork => IsLinkLocalV4(address) || address.Equals(IPAddress.Any) || address.Equals(AlibabaMetadata),
            AddressFamily.InterNetworkV6 => address.IsIPv6LinkLocal || address.Equals(IPAddress.IPv6Any) || address.Equals(AwsMetadataV6),
            _ => true,
        };
        return forbidden ? $"address {address} is link-local, a cloud metadata service or unspecified; the server never connects to it" : null;
    }

    private static readonly IPAddress AlibabaMetadata = IPAddress.Parse("100.100.100.200");
    private static readonly IPAddress AwsMetadataV6 = IPAddress.Parse("fd00:ec2::254");

    // 169.254.0.0/16 holds the metadata service of most clouds (169.254.169.254).
    private static bool IsLinkLocalV4(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[4];
        address.TryWriteBytes(bytes, out _);
        return bytes[0] == 169 && bytes[1] == 254;
    }
}

/// <summary>A connection the access policy refused; raised before any packet is sent.</summary>
public sealed class DestinationRefusedException(string message) : IOException(message);
