using ImageStreams.Registry.Auth;

namespace ImageStreams.Registry.Tests.Auth;

public class AuthChallengeTests
{
    [Fact]
    public void Parse_BearerChallenge_ReadsQuotedParameters()
    {
        var challenge = Assert.Single(AuthChallenge.Parse(
            """Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/busybox:pull,push",error="insufficient_scope" """));

        Assert.True(challenge.IsBearer);
        Assert.Equal("https://auth.docker.io/token", challenge.Realm);
        Assert.Equal("registry.docker.io", challenge.Service);
        Assert.Equal("repository:library/busybox:pull,push", challenge.Scope);
        Assert.Equal("insufficient_scope", challenge.Parameters["error"]);
    }

    [Fact]
    public void Parse_SeveralChallengesInOneValue_SplitsThem()
    {
        var challenges = AuthChallenge.Parse("""Basic realm="basic-realm", Bearer realm="https://x/token", service=reg""");

        Assert.Equal(["Basic", "Bearer"], challenges.Select(c => c.Scheme));
        Assert.Equal("basic-realm", challenges[0].Realm);
        Assert.Equal("reg", challenges[1].Service);
    }

    [Fact]
    public void Parse_EscapedQuote_IsKept()
    {
        var challenge = Assert.Single(AuthChallenge.Parse("""Basic realm="a \"quoted\" realm" """));

        Assert.Equal("a \"quoted\" realm", challenge.Realm);
    }

    [Fact]
    public void Select_PrefersBearerOverBasic()
    {
        Assert.True(AuthChallenge.Select(["Basic realm=\"r\"", "Bearer realm=\"https://t\""])!.IsBearer);
        Assert.True(AuthChallenge.Select(["Basic realm=\"r\""])!.IsBasic);
        Assert.Null(AuthChallenge.Select(["Negotiate"]));
    }
}
