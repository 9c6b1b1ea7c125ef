namespace ImageStreams.Server.Api.Content;

/// <summary>The media types the API reads and writes.</summary>
internal static class MediaTypes
{
    public const string Json = "application/json";
    public const string Yaml = "application/yaml";
    public const string MergePatch = "application/merge-patch+json";
    public const string StrategicMergePatch = "application/strategic-merge-patch+json";
    public const string JsonPatch = "application/json-patch+json";
    public const string ApplyPatch = "application/apply-patch+yaml";

    public static bool IsYaml(string mediaType) => mediaType is Yaml or "application/x-yaml" or "text/yaml" or "text/x-yaml";
}
