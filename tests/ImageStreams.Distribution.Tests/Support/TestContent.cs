using System.Text;
using System.Text.Json.Nodes;

namespace ImageStreams.Distribution.Tests.Support;

/// <summary>Blobs and manifests written by hand, for protocol tests that need exact bytes.</summary>
public static class TestContent
{
    public const string OciManifest = "application/vnd.oci.image.manifest.v1+json";
    public const string OciIndex = "application/vnd.oci.image.index.v1+json";
    public const string DockerManifest = "application/vnd.docker.distribution.manifest.v2+json";
    public const string OciConfig = "application/vnd.oci.image.config.v1+json";
    public const string OciLayer = "application/vnd.oci.image.layer.v1.tar+gzip";

    public static byte[] RandomBytes(int size)
    {
        var bytes = new byte[size];
        Random.Shared.NextBytes(bytes);
        return bytes;
    }

    public static byte[] Config(string architecture = "amd64", string label = "test") => Encoding.UTF8.GetBytes(new JsonObject
    {
        ["architecture"] = architecture,
        ["os"] = "linux",
        ["created"] = "2024-05-06T07:08:09Z",
        ["author"] = "tests@example.com",
        ["config"] = new JsonObject
        {
            ["Cmd"] = new JsonArray("/bin/sh"),
            ["Labels"] = new JsonObject { ["test"] = label },
        },
        ["rootfs"] = new JsonObject { ["type"] = "layers", ["diff_ids"] = new JsonArray() },
    }.ToJsonString());

    public static byte[] Manifest(byte[] config, params byte[][] layers) => Manifest(OciManifest, config, layers);

    public static byte[] Manifest(string mediaType, byte[] config, params byte[][] layers) => Encoding.UTF8.GetBytes(new JsonObject
    {
        ["schemaVersion"] = 2,
        ["mediaType"] = mediaType,
        ["config"] = Descriptor(mediaType == DockerManifest ? "application/vnd.docker.container.image.v1+json" : OciConfig, config),
        ["layers"] = new JsonArray([.. layers.Select(l => Descriptor(mediaType == DockerManifest ? "application/vnd.docker.image.rootfs.diff.tar.gzip" : OciLayer, l))]),
    }.ToJsonString());

    public static byte[] Index(params (byte[] Manifest, string Architecture)[] children) => Encoding.UTF8.GetBytes(new JsonObject
    {
        ["schemaVersion"] = 2,
        ["mediaType"] = OciIndex,
        ["manifests"] = new JsonArray([.. children.Select(c =>
        {
            var descriptor = Descriptor(OciManifest, c.Manifest);
            descriptor["platform"] = new JsonObject { ["os"] = "linux", ["architecture"] = c.Architecture };
            return (JsonNode)descriptor;
        })]),
    }.ToJsonString());

    public static JsonObject Descriptor(string mediaType, byte[] content) => new()
    {
        ["mediaType"] = mediaType,
        ["digest"] = RegistryServer.DigestOf(content),
        ["size"] = content.Length,
    };
}
