using System.Text;
using System.Text.Json.Nodes;
using ImageStreams.Registry.Inspection;
using ImageStreams.Registry.Manifests;
using ImageStreams.Registry.References;
using ImageStreams.Testing.Fuzzing;

namespace ImageStreams.Registry.Tests.Fuzzing;

/// <summary>
/// Seeded random inputs near valid ones: the parsers either accept them or fail with their own clear error, never with
/// another exception. Each run is bounded in iterations and time.
/// </summary>
public class ParserFuzzTests
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(3);

    private static readonly string[] References =
    [
        "busybox", "library/busybox:1.36", "docker.io/library/busybox:latest", "quay.io/team/app@sha256:" + new string('a', 64),
        "registry.example.com:5000/a/b/c:v1.2.3-rc_1", "localhost/app", "[::1]:5000/app:tag", "127.0.0.1:5000/rhel7:latest",
        "ghcr.io/org/app:v1@sha256:" + new string('0', 64), "a.b-c_d/e__f/g:h",
    ];

    private const string Digest1 = "sha256:1111111111111111111111111111111111111111111111111111111111111111";
    private const string Digest2 = "sha256:2222222222222222222222222222222222222222222222222222222222222222";

    private static readonly (string Json, string MediaType)[] Manifests =
    [
        ($$$"""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{{{Digest1}}}","size":7},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"{{{Digest2}}}","size":100}],"annotations":{"a":"b"}}""", MediaTypes.OciManifest),
        ($$$"""{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json","config":{"mediaType":"application/vnd.docker.container.image.v1+json","digest":"{{{Digest1}}}","size":7},"layers":[{"mediaType":"application/vnd.docker.image.rootfs.diff.tar.gzip","digest":"{{{Digest2}}}","size":100}]}""", MediaTypes.DockerManifest),
        ($$$"""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"{{{Digest1}}}","size":5,"platform":{"architecture":"arm64","os":"linux","variant":"v8"}}]}""", MediaTypes.OciIndex),
        ($$$"""{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.list.v2+json","manifests":[{"mediaType":"application/vnd.docker.distribution.manifest.v2+json","digest":"{{{Digest2}}}","size":528,"platform":{"architecture":"amd64","os":"linux"}}]}""", MediaTypes.DockerManifestList),
        ($$$"""{"schemaVersion":1,"name":"team/app","tag":"v1","architecture":"amd64","fsLayers":[{"blobSum":"{{{Digest1}}}"}],"history":[{"v1Compatibility":"{\"id\":\"x\",\"created\":\"2024-01-01T00:00:00Z\"}"}]}""", MediaTypes.DockerSchema1),
    ];

    [Fact]
    public void ReferenceParser_AcceptsOrRefusesEveryInputWithAFormatError()
    {
        var fuzz = Mutator.Seeded(20261121);
        var accepted = 0;
        fuzz.Run(20_000, Budget, _ =>
        {
            var input = fuzz.Mutate(fuzz.Pick(References));
            if (ImageReference.TryParse(input, out var reference, out var error))
            {
                accepted++;
                Assert.False(string.IsNullOrEmpty(reference.Registry));
                Assert.False(string.IsNullOrEmpty(reference.Repository));
                Assert.DoesNotContain(reference.Exact(), char.IsControl);
                Assert.DoesNotContain(reference.Exact(), char.IsWhiteSpace);
                Assert.Equal(reference, ImageReference.Parse(reference.Exact()));
            }
            else
            {
                Assert.StartsWith("invalid reference format: ", error, StringComparison.Ordinal);
                var thrown = Assert.Throws<FormatException>(() => ImageReference.Parse(input));
                Assert.Equal(error, thrown.Message);
            }
        });
        Assert.True(accepted > 0, "no mutated reference was valid: the inputs are too far from valid ones to test much");
    }

    [Fact]
    public void DigestParser_AcceptsOrRefusesEveryInputWithAMessage()
    {
        var fuzz = Mutator.Seeded(7);
        fuzz.Run(20_000, Budget, _ =>
        {
            var input = fuzz.Mutate(fuzz.Pick([Digest1, "sha512:" + new string('c', 128)]));
            if (Digest.TryParse(input, out var digest, out var error))
            {
                Assert.Equal(digest, Digest.Parse(digest.ToString()));
            }
            else
            {
                Assert.False(string.IsNullOrEmpty(error));
            }
        });
    }

    [Fact]
    public void ManifestParser_AcceptsOrRefusesEveryMutationWithAnInvalidManifestError()
    {
        var fuzz = Mutator.Seeded(42);
        var refused = 0;
        fuzz.Run(20_000, Budget, i =>
        {
            var (json, mediaType) = fuzz.Pick(Manifests);
            var text = i % 2 == 0 ? fuzz.Mutate(json) : fuzz.MutateJson(JsonNode.Parse(json))?.ToJsonString() ?? "null";
            var contentType = fuzz.Random.Next(5) switch
            {
                0 => null,
                1 => "application/json",
                2 => fuzz.Pick(Manifests).MediaType,
                _ => mediaType,
            };
            try
            {
                var manifest = ManifestParser.Parse(Encoding.UTF8.GetBytes(text), contentType);
                Assert.Equal(Digest.Compute(Encoding.UTF8.GetBytes(text)), manifest.Digest);
            }
            catch (InvalidManifestException e)
            {
                refused++;
                Assert.False(string.IsNullOrWhiteSpace(e.Message));
            }
        });
        Assert.True(refused > 0);
    }

    [Fact]
    public void ImageConfigReader_AcceptsOrRefusesEveryMutationWithAJsonError()
    {
        const string config = """{"architecture":"amd64","os":"linux","created":"2024-01-02T03:04:05Z","author":"a","config":{"Cmd":["/bin/sh"],"Env":["A=b"],"Labels":{"k":"v"},"ExposedPorts":{"80/tcp":{}},"User":"1000"},"rootfs":{"type":"layers","diff_ids":[]},"history":[{"created_by":"x"}]}""";
        var manifest = (Schema2Manifest)ManifestParser.Parse(Encoding.UTF8.GetBytes(Manifests[0].Json), MediaTypes.OciManifest);
        var repository = ImageReference.Parse("quay.io/team/app:v1");
        var fuzz = Mutator.Seeded(99);
        fuzz.Run(20_000, Budget, i =>
        {
            var text = i % 2 == 0 ? fuzz.Mutate(config) : fuzz.MutateJson(JsonNode.Parse(config))?.ToJsonString() ?? "null";
            try
            {
                var image = ImageFactory.FromSchema2(repository, manifest, Encoding.UTF8.GetBytes(text), includeManifest: false);
                Assert.Equal(manifest.Digest.ToString(), image.Metadata.Name);
            }
            catch (System.Text.Json.JsonException e)
            {
                Assert.False(string.IsNullOrWhiteSpace(e.Message));
            }
        });
    }

    [Fact]
    public void ManifestParser_RefusesDeepNestingWithAnInvalidManifestError()
    {
        var deep = "{\"schemaVersion\":2,\"x\":" + new string('[', 10_000) + new string(']', 10_000) + "}";

        var error = Assert.Throws<InvalidManifestException>(() => ManifestParser.Parse(Encoding.UTF8.GetBytes(deep), MediaTypes.OciManifest));

        Assert.Contains("not valid JSON", error.Message, StringComparison.Ordinal);
    }
}
