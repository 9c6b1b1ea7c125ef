using System.Text;
using ImageStreams.Model.Meta;

namespace ImageStreams.Cli.Api;

/// <summary>Kubernetes REST paths of the resources in <see cref="ResourceTypes"/>.</summary>
internal static class ResourcePaths
{
    /// <summary>The collection; a null namespace means every namespace (or a cluster-scoped resource).</summary>
    public static string Collection(ResourceType type, string? ns)
    {
        var root = string.IsNullOrEmpty(type.Group) ? $"/api/{type.Version}" : $"/apis/{type.Group}/{type.Version}";
        return type.Namespaced && ns is not null
            ? $"{root}/namespaces/{Escape(ns)}/{type.Resource}"
            : $"{root}/{type.Resource}";
    }

    public static string Item(ResourceType type, string? ns, string name) => $"{Collection(type, ns)}/{Escape(name)}";

    /// <summary>Appends the query parameters that have a value.</summary>
    public static string WithQuery(string path, params (string Name, string? Value)[] query)
    {
        var builder = new StringBuilder(path);
        var separator = path.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        foreach (var (name, value) in query)
        {
            if (value is null)
            {
                continue;
            }
            builder.Append(separator).Append(name).Append('=').Append(Uri.EscapeDataString(value));
            separator = '&';
        }
        return builder.ToString();
    }

    /// <summary>
    /// Escapes one path segment but keeps ':' and '@' as they are, as client-go does, so
    /// <c>rhel7:latest</c> and <c>rhel7@sha256:...</c> reach the server readable.
    /// </summary>
    public static string Escape(string segment) =>
        Uri.EscapeDataString(segment).Replace("%3A", ":", StringComparison.Ordinal).Replace("%40", "@", StringComparison.Ordinal);
}
