using System.Text.Json.Nodes;

namespace ImageStreams.Server.Tests.Support;

/// <summary>Request bodies the tests send.</summary>
public static class Documents
{
    public static readonly string SeedPath = Path.Combine(AppContext.BaseDirectory, "testdata", "seed000-rhel7.yaml");

    public static string StreamsPath(string ns) => $"/apis/image.openshift.io/v1/namespaces/{ns}/imagestreams";

    public static JsonObject Stream(string name, params (string Tag, string From)[] tags) => new()
    {
        ["apiVersion"] = "image.openshift.io/v1",
        ["kind"] = "ImageStream",
        ["metadata"] = new JsonObject { ["name"] = name },
        ["spec"] = new JsonObject
        {
            ["tags"] = new JsonArray(tags.Select(t => (JsonNode)Tag(t.Tag, t.From)).ToArray()),
        },
    };

    public static JsonObject Tag(string name, string from) => new()
    {
        ["name"] = name,
        ["from"] = new JsonObject { ["kind"] = "DockerImage", ["name"] = from },
    };
}
