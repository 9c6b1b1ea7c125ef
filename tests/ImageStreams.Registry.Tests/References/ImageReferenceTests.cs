using ImageStreams.Registry.References;

namespace ImageStreams.Registry.Tests.References;

public class ImageReferenceTests
{
    private const string Sha = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    [Theory]
    [InlineData("busybox", "docker.io", "library/busybox", "latest", null, "docker.io/library/busybox:latest")]
    [InlineData("busybox:1.36", "docker.io", "library/busybox", "1.36", null, "docker.io/library/busybox:1.36")]
    [InlineData("library/busybox", "docker.io", "library/busybox", "latest", null, "docker.io/library/busybox:latest")]
    [InlineData("myorg/app:v1", "docker.io", "myorg/app", "v1", null, "docker.io/myorg/app:v1")]
    [InlineData("docker.io/busybox", "docker.io", "library/busybox", "latest", null, "docker.io/library/busybox:latest")]
    [InlineData("index.docker.io/library/busybox", "docker.io", "library/busybox", "latest", null, "docker.io/library/busybox:latest")]
    [InlineData("quay.io/coreos/etcd:v3.5.0", "quay.io", "coreos/etcd", "v3.5.0", null, "quay.io/coreos/etcd:v3.5.0")]
    [InlineData("localhost/app", "localhost", "app", "latest", null, "localhost/app:latest")]
    [InlineData("localhost:5000/ns/app:tag", "localhost:5000", "ns/app", "tag", null, "localhost:5000/ns/app:tag")]
    [InlineData("127.0.0.1:5000/app@" + Sha, "127.0.0.1:5000", "app", null, Sha, "127.0.0.1:5000/app@" + Sha)]
    [InlineData("[::1]:5000/app:v1", "[::1]:5000", "app", "v1", null, "[::1]:5000/app:v1")]
    [InlineData("registry.example.com/a/b/c:tag@" + Sha, "registry.example.com", "a/b/c", "tag", Sha, "registry.example.com/a/b/c:tag@" + Sha)]
    [InlineData("Registry.Example.com/app", "Registry.Example.com", "app", "latest", null, "Registry.Example.com/app:latest")]
    [InlineData("my-registry:443/repo", "my-registry:443", "repo", "latest", null, "my-registry:443/repo:latest")]
    [InlineData("a/b__c/d-e.f--g", "docker.io", "a/b__c/d-e.f--g", "latest", null, "docker.io/a/b__c/d-e.f--g:latest")]
    [InlineData("app:_under.score-ok", "docker.io", "library/app", "_under.score-ok", null, "docker.io/library/app:_under.score-ok")]
    public void Parse_ValidReference_IsNormalizedAsDockerDoes(string input, string registry, string repository, string? tag, string? digest, string exact)
    {
        var reference = ImageReference.Parse(input);

        Assert.Equal(registry, reference.Registry);
        Assert.Equal(repository, reference.Repository);
        Assert.Equal(tag, reference.Tag);
        Assert.Equal(digest, reference.Digest?.ToString());
        Assert.Equal(exact, reference.Exact());
        Assert.Equal(exact, reference.ToString());
        Assert.Equal(reference, ImageReference.Parse(exact));
    }

    [Theory]
    [InlineData("", "empty reference")]
    [InlineData("quay.io/team/APP", "must be lowercase")]
    [InlineData("app:", "invalid tag")]
    [InlineData(":tag", "no repository name")]
    [InlineData("app@sha256:123", "sha256 needs 64")]
    [InlineData("app@md5:d41d8cd98f00b204e9800998ecf8427e", "unsupported algorithm")]
    [InlineData("http://host/app", "invalid")]
    [InlineData("host:port/app", "invalid registry")]
    [InlineData("app name", "whitespace")]
    [InlineData("a//b", "invalid repository name")]
    [InlineData("-app", "invalid repository name")]
    [InlineData("app/", "invalid repository name")]
    [InlineData("app:-tag", "invalid tag")]
    public void Parse_InvalidReference_FailsWithReferenceFormatMessage(string input, string detail)
    {
        var error = Assert.Throws<FormatException>(() => ImageReference.Parse(input));

        Assert.StartsWith("invalid reference format: ", error.Message);
        Assert.Contains(detail, error.Message);
        Assert.False(ImageReference.TryParse(input, out _, out var message));
        Assert.Equal(error.Message, message);
    }

    [Fact]
    public void Parse_TagLongerThan128Characters_IsRejected()
    {
        Assert.True(ImageReference.TryParse("app:" + new string('t', 128), out _));
        Assert.False(ImageReference.TryParse("app:" + new string('t', 129), out _));
    }

    [Fact]
    public void Parse_NameLongerThan255Characters_IsRejected()
    {
        var error = Assert.Throws<FormatException>(() => ImageReference.Parse("quay.io/" + new string('a', 250)));

        Assert.Contains("longer than 255", error.Message);
    }

    [Fact]
    public void WithTag_ReplacesTheTagAndDropsTheDigest()
    {
        var pinned = ImageReference.Parse("quay.io/a/b:old@" + Sha);

        var moved = pinned.WithTag("new");

        Assert.Equal("quay.io/a/b:new", moved.Exact());
        Assert.Equal("quay.io/a/b:old@" + Sha, pinned.Exact());
        Assert.Throws<FormatException>(() => pinned.WithTag("bad tag"));
    }

    [Fact]
    public void WithDigest_KeepsTheTag_AndForDigestDropsIt()
    {
        var reference = ImageReference.Parse("quay.io/a/b:v1");
        var digest = Digest.Parse(Sha);

        Assert.Equal("quay.io/a/b:v1@" + Sha, reference.WithDigest(digest).Exact());
        Assert.Equal("quay.io/a/b@" + Sha, reference.ForDigest(digest).Exact());
        Assert.Equal(Sha, reference.ForDigest(digest).Identifier);
        Assert.Equal("v1", reference.Identifier);
    }

    [Theory]
    [InlineData("busybox", "registry-1.docker.io")]
    [InlineData("quay.io/a/b", "quay.io")]
    [InlineData("localhost:5000/a", "localhost:5000")]
    public void RegistryHost_IsWhereTheApiIsServed(string input, string host)
    {
        Assert.Equal(host, ImageReference.Parse(input).RegistryHost);
    }

    [Theory]
    [InlineData("localhost", true)]
    [InlineData("localhost:5000", true)]
    [InlineData("LOCALHOST:5000", true)]
    [InlineData("127.0.0.1:5000", true)]
    [InlineData("127.3.2.1", true)]
    [InlineData("[::1]:5000", true)]
    [InlineData("[::1]", true)]
    [InlineData("example.com", false)]
    [InlineData("10.0.0.1:5000", false)]
    [InlineData("localhost.example.com", false)]
    [InlineData("[::2]:5000", false)]
    public void IsLoopback_RecognizesLocalRegistries(string host, bool loopback)
    {
        Assert.Equal(loopback, ImageReference.IsLoopback(host));
    }
}
