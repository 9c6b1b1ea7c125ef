using System.Text;
using ImageStreams.Registry.Manifests;
using ImageStreams.Registry.References;

namespace ImageStreams.Registry.Tests.Manifests;

public class ManifestParserTests
{
    private const string ConfigDigest = "sha256:1111111111111111111111111111111111111111111111111111111111111111";
    private const string LayerDigest = "sha256:2222222222222222222222222222222222222222222222222222222222222222";
    private const string ChildDigest = "sha256:3333333333333333333333333333333333333333333333333333333333333333";

    private static readonly string OciManifestWithoutMediaType =
        $$"""{"schemaVersion":2,"config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{{ConfigDigest}}","size":7},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"{{LayerDigest}}","size":100}]}""";

    [Fact]
    public void Parse_OciManifestWithoutMediaTypeField_UsesContentTypeAndHashesTheBytes()
    {
        var bytes = Encoding.UTF8.GetBytes(OciManifestWithoutMediaType);

        var manifest = Assert.IsType<Schema2Manifest>(ManifestParser.Parse(bytes, "application/vnd.oci.image.manifest.v1+json; charset=utf-8"));

        Assert.Equal(MediaTypes.OciManifest, manifest.MediaType);
        Assert.Equal(Digest.Compute(bytes), manifest.Digest);
        Assert.Equal(bytes.Length, manifest.Size);
        Assert.Equal(ConfigDigest, manifest.Config.Digest.ToString());
        Assert.Equal(7, manifest.Config.Size);
        var layer = Assert.Single(manifest.Layers);
        Assert.Equal(LayerDigest, layer.Digest.ToString());
        Assert.Equal(100, layer.Size);
    }

    [Fact]
    public void Parse_WithoutAnyMediaType_TellsTheKindFromTheShape()
    {
        var index = $$$"""{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"{{{ChildDigest}}}","size":5,"platform":{"architecture":"arm64","os":"linux","variant":"v8"}}]}""";

        Assert.Equal(MediaTypes.OciIndex, ManifestParser.Parse(Encoding.UTF8.GetBytes(index), "application/json").MediaType);
        Assert.Equal(MediaTypes.OciManifest, ManifestParser.Parse(Encoding.UTF8.GetBytes(OciManifestWithoutMediaType), null).MediaType);
        var list = Assert.IsType<ManifestList>(ManifestParser.Parse(Encoding.UTF8.GetBytes(index), null));
        Assert.Equal(new Platform("linux", "arm64", "v8"), Assert.Single(list.Manifests).Platform);
    }

    [Fact]
    public void Parse_DockerManifestList_ReadsEveryChildPlatform()
    {
        var json = $$$"""
            {"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.list.v2+json","manifests":[
              {"mediaType":"application/vnd.docker.distribution.manifest.v2+json","digest":"{{{ChildDigest}}}","size":528,"platform":{"architecture":"amd64","os":"linux"}},
              {"mediaType":"application/vnd.docker.distribution.manifest.v2+json","digest":"{{{LayerDigest}}}","size":529,"platform":{"architecture":"arm","os":"linux","variant":"v7"}}]}
            """;

        var list = Assert.IsType<ManifestList>(ManifestParser.Parse(Encoding.UTF8.GetBytes(json), MediaTypes.DockerManifestList));

        Assert.Equal(MediaTypes.DockerManifestList, list.MediaType);
        Assert.Equal([Platform.LinuxAmd64, new Platform("linux", "arm", "v7")], list.Manifests.Select(m => m.Platform));
        Assert.Equal([528L, 529L], list.Manifests.Select(m => m.Size));
    }

    [Fact]
    public void Parse_WithAnotherAlgorithm_DigestsWithIt()
    {
        var bytes = Encoding.UTF8.GetBytes(OciManifestWithoutMediaType);

        var manifest = ManifestParser.Parse(bytes, MediaTypes.OciManifest, Digest.Sha512);

        Assert.Equal(Digest.Compute(Digest.Sha512, bytes), manifest.Digest);
    }

    [Theory]
    [InlineData("""{"schemaVersion":2,"mediaType":"application/vnd.example.thing+json"}""", "application/vnd.example.thing+json")]
    [InlineData("""{"schemaVersion":2}""", "text/plain")]
    [InlineData("""{"schemaVersion":3,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{}}""", "application/vnd.oci.image.manifest.v1+json")]
    public void Parse_UnknownKind_IsUnsupported(string json, string mediaType)
    {
        var error = Assert.Throws<InvalidManifestException>(() => ManifestParser.Parse(Encoding.UTF8.GetBytes(json), "text/plain"));

        Assert.True(error.Unsupported);
        Assert.Equal(mediaType, error.MediaType);
    }

    [Theory]
    [InlineData("not json {")]
    [InlineData("null")]
    [InlineData("""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json"}""")]
    [InlineData("""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"digest":"sha256:short","size":1}}""")]
    [InlineData("""{"schemaVersion":1,"fsLayers":[],"history":[]}""")]
    public void Parse_Malformed_IsInvalidNotUnsupported(string json)
    {
        var error = Assert.Throws<InvalidManifestException>(() => ManifestParser.Parse(Encoding.UTF8.GetBytes(json), MediaTypes.OciManifest));

        Assert.False(error.Unsupported);
    }
}
