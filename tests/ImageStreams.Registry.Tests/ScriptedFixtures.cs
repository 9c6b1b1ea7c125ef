using System.Text;
using ImageStreams.Registry.Manifests;
using ImageStreams.Registry.References;
using ImageStreams.Testing.Http;

namespace ImageStreams.Registry.Tests;

/// <summary>Manifests and configs for scripted registries.</summary>
internal static class ScriptedFixtures
{
    public const string ManifestPath = "/v2/team/app/manifests/v1";

    public static readonly byte[] Config = Encoding.UTF8.GetBytes(
        """{"architecture":"amd64","os":"linux","created":"2024-01-02T03:04:05.123456789Z","config":{"Cmd":["/bin/sh"]},"rootfs":{"type":"layers","diff_ids":[]}}""");

    public static byte[] OciManifest(string configMediaType = MediaTypes.OciConfig, byte[]? config = null) =>
        Encoding.UTF8.GetBytes($$"""
            {"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",
             "config":{"mediaType":"{{configMediaType}}","digest":"{{Digest.Compute(config ?? Config)}}","size":{{(config ?? Config).Length}}},
             "layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"sha256:{{new string('a', 64)}}","size":1234}]}
            """);

    /// <summary>A manifest answer with its correct Docker-Content-Digest.</summary>
    public static ScriptedResponse Manifest(byte[] bytes, string mediaType = MediaTypes.OciManifest) =>
        ScriptedResponse.Bytes(bytes, mediaType, DigestHeader(Digest.Compute(bytes)));

    public static Dictionary<string, string> DigestHeader(Digest digest) => new() { ["Docker-Content-Digest"] = digest.ToString() };

    public static ImageReference Reference(ScriptedHttpServer server, string repositoryAndIdentifier = "team/app:v1") =>
        ImageReference.Parse($"{server.Authority}/{repositoryAndIdentifier}");
}
