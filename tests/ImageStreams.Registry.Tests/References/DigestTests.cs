using System.Text;
using ImageStreams.Registry.References;

namespace ImageStreams.Registry.Tests.References;

public class DigestTests
{
    [Fact]
    public void Compute_IsSha256OfTheBytes()
    {
        Assert.Equal("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Digest.Compute([]).ToString());
        Assert.Equal("sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824", Digest.Compute("hello"u8).ToString());
    }

    [Fact]
    public void Matches_UsesTheDigestsOwnAlgorithm()
    {
        var content = Encoding.UTF8.GetBytes("hello");
        var sha512 = Digest.Compute(Digest.Sha512, content);

        Assert.Equal(Digest.Sha512, sha512.Algorithm);
        Assert.Equal(128, sha512.Hex.Length);
        Assert.True(sha512.Matches(content));
        Assert.False(sha512.Matches("hellO"u8));
        Assert.Equal(sha512, Digest.Parse(sha512.ToString()));
    }

    [Theory]
    [InlineData("")]
    [InlineData("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    [InlineData("sha256:E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855")]
    [InlineData("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85")]
    [InlineData("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855a")]
    [InlineData("sha256:z3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    [InlineData("md5:d41d8cd98f00b204e9800998ecf8427e")]
    public void Parse_Malformed_IsRejected(string value)
    {
        Assert.False(Digest.TryParse(value, out _, out var error));
        Assert.StartsWith("invalid digest", error);
        Assert.Throws<FormatException>(() => Digest.Parse(value));
    }
}
