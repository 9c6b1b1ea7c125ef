using System.Text.Json.Nodes;
using ImageStreams.Model.Meta;

namespace ImageStreams.Server.Api.Discovery;

/// <summary>
/// The discovery documents clients read first (<c>/api</c>, <c>/apis</c>, the resource lists of each group version),
/// all built from the <see cref="ResourceTypes"/> catalogue.
/// </summary>
internal static class DiscoveryDocuments
{
    /// <summary>The Kubernetes version this API presents itself as (kubectl compares it with its own).</summary>
    public const string KubernetesMajor = "1";
    public const string KubernetesMinor = "32";
    public const string GitVersion = "v1.32.0-imagestreams";

    private static readonly string[] StatusVerbs = ["get", "patch", "update"];

    public static IEnumerable<IGrouping<string, ResourceType>> GroupVersions =>
        ResourceTypes.All.GroupBy(t => t.GroupVersion);

    public static JsonObject Versions(string serverAddress) => new()
    {
        ["kind"] = "APIVersions",
        ["versions"] = new JsonArray("v1"),
        ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = serverAddress }),
    };

    public static JsonObject GroupList() => new()
    {
        ["kind"] = "APIGroupList",
        ["apiVersion"] = "v1",
        ["groups"] = new JsonArray(Groups().Select(g => (JsonNode)Group(g)).ToArray()),
    };

    /// <summary>The document of one group; null when the group is unknown.</summary>
    public static JsonObject? GroupDocument(string group) =>
        Groups().Contains(group) ? Group(group) : null;

    /// <summary>The resource list of a group version; null when there is no such group version.</summary>
    public static JsonObject? ResourceList(string groupVersion)
    {
        var types = ResourceTypes.All.Where(t => t.GroupVersion == groupVersion).ToList();
        if (types.Count == 0)
        {
            return null;
        }
        var resources = new JsonArray();
        foreach (var type in types)
        {
            var resource = new JsonObject
            {
                ["name"] = type.Resource,
                ["singularName"] = type.Singular,
                ["namespaced"] = type.Namespaced,
                ["kind"] = type.Kind,
                ["verbs"] = new JsonArray(type.Verbs.Select(v => (JsonNode)v).ToArray()),
            };
            if (type.ShortNames.Count > 0)
            {
                resource["shortNames"] = new JsonArray(type.ShortNames.Select(s => (JsonNode)s).ToArray());
            }
            resources.Add(resource);
            if (type.HasStatusSubresource)
            {
                resources.Add(new JsonObject
                {
                    ["name"] = type.Resource + "/status",
                    ["singularName"] = "",
                    ["namespaced"] = type.Namespaced,
                    ["kind"] = type.Kind,
                    ["verbs"] = new JsonArray(StatusVerbs.Select(v => (JsonNode)v).ToArray()),
                });
            }
            foreach (var subresource in type.Subresources)
            {
                resources.Add(new JsonObject
                {
                    ["name"] = $"{type.Resource}/{subresource.Name}",
                    ["singularName"] = "",
                    ["namespaced"] = type.Namespaced,
                    ["kind"] = subresource.Kind,
                    ["verbs"] = new JsonArray(subresource.Verbs.Select(v => (JsonNode)v).ToArray()),
                });
            }
        }
        return new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = groupVersion,
            ["resources"] = resources,
        };
    }

    public static JsonObject Version() => new()
    {
        ["major"] = KubernetesMajor,
        ["minor"] = KubernetesMinor,
        ["gitVersion"] = GitVersion,
        ["gitCommit"] = "",
        ["gitTreeState"] = "clean",
        ["buildDate"] = "",
        ["goVersion"] = $"dotnet{Environment.Version}",
        ["compiler"] = "dotnet",
        ["platform"] = $"{(OperatingSystem.IsLinux() ? "linux" : OperatingSystem.IsMacOS() ? "darwin" : "windows")}/{System.Runtime.InteropServices.RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant() switch { "x64" => "amd64", "arm64" => "arm64", var other => other }}",
    };

    private static IEnumerable<string> Groups() =>
        ResourceTypes.All.Where(t => !string.IsNullOrEmpty(t.Group)).Select(t => t.Group).Distinct(StringComparer.Ordinal);

    private static JsonObject Group(string group)
    {
        var versions = ResourceTypes.All.Where(t => t.Group == group).Select(t => t.Version).Distinct(StringComparer.Ordinal).ToList();
        JsonObject Version(string version) => new() { ["groupVersion"] = $"{group}/{version}", ["version"] = version };
        return new JsonObject
        {
            ["kind"] = "APIGroup",
            ["apiVersion"] = "v1",
            ["name"] = group,
            ["versions"] = new JsonArray(versions.Select(v => (JsonNode)Version(v)).ToArray()),
            ["preferredVersion"] = Version(versions[0]),
        };
    }
}
