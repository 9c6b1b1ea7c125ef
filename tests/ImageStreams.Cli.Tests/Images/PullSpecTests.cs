using ImageStreams.Cli.Images;

namespace ImageStreams.Cli.Tests.Images;

public class PullSpecTests
{
    private const string Digest = "sha256:e3f12513a4b22a2d7c0e7c9207f52128113758d9d68c7d06b11a0ac7672966f7";

    [Theory]
    [InlineData("rhel7", "", "", "rhel7", "", "")]
    [InlineData("rhel7:latest", "", "", "rhel7", "latest", "")]
    [InlineData("openshift/ruby:2.7", "", "openshift", "ruby", "2.7", "")]
    [InlineData("registry.access.redhat.com/rhel7:latest", "registry.access.redhat.com", "", "rhel7", "latest", "")]
    [InlineData("127.0.0.1:5000/team/app", "127.0.0.1:5000", "team", "app", "", "")]
    [InlineData("localhost/app:1", "localhost", "", "app", "1", "")]
    [InlineData("a/b/c:1", "", "a", "b/c", "1", "")]
    [InlineData("ruby@" + Digest, "", "", "ruby", "", Digest)]
    [InlineData("quay.io/ns/ruby:2.7@" + Digest, "quay.io", "ns", "ruby", "2.7", Digest)]
    public void Parse_SplitsAReferenceWithoutAddingDefaults(string text, string registry, string ns, string name, string tag, string id)
    {
        var spec = Parse(text);

        Assert.Equal(new PullSpec(registry, ns, name, tag, id), spec);
        Assert.Equal(text, spec.Exact);
    }

    [Theory]
    [InlineData("Rhel7", "invalid reference format: repository name must be lowercase")]
    [InlineData("rhel7:", "invalid reference format")]
    [InlineData("rhel7:-bad", "invalid reference format")]
    [InlineData("rhel7@sha256:abc", "invalid reference format")]
    [InlineData("", "invalid reference format")]
    [InlineData("a//b", "invalid reference format")]
    public void TryParse_ExplainsWhatIsWrong(string text, string error)
    {
        Assert.False(PullSpec.TryParse(text, out _, out var message));
        Assert.Equal(error, message);
    }

    [Fact]
    public void NameString_LeavesOutRegistryAndNamespace() =>
        Assert.Equal("ruby@" + Digest, Parse("quay.io/ns/ruby@" + Digest).NameString);

    internal static PullSpec Parse(string text)
    {
        Assert.True(PullSpec.TryParse(text, out var spec, out var error), error);
        return spec;
    }
}
