using ImageStreams.Cli.Api;
using ImageStreams.Model.Meta;

namespace ImageStreams.Cli.Builds;

/// <summary>The API paths of builds and BuildConfigs and their subresources.</summary>
internal static class BuildPaths
{
    public static string Config(string ns, string name) => ResourcePaths.Item(ResourceTypes.BuildConfigs, ns, name);

    public static string Build(string ns, string name) => ResourcePaths.Item(ResourceTypes.Builds, ns, name);

    public static string Instantiate(string ns, string name) => Config(ns, name) + "/instantiate";

    public static string InstantiateBinary(string ns, string name, string? asFile) =>
        ResourcePaths.WithQuery(Config(ns, name) + "/instantiatebinary", ("asFile", asFile));

    public static string Log(ResourceType type, string ns, string name, bool follow) =>
        ResourcePaths.WithQuery(ResourcePaths.Item(type, ns, name) + "/log", ("follow", follow ? "true" : null));
}
