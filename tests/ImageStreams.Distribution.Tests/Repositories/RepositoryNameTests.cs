using ImageStreams.Distribution.Repositories;

namespace ImageStreams.Distribution.Tests.Repositories;

public sealed class RepositoryNameTests
{
    [Theory]
    [InlineData("team/app")]
    [InlineData("team/app.v2")]
    [InlineData("t-1/a-b-c")]
    public void NamespaceAndStreamNames_AreRepositories(string value)
    {
        Assert.True(RepositoryName.TryParse(value, out var name, out _));
        Assert.Equal(value, name.ToString());
    }

    [Theory]
    [InlineData("app")]
    [InlineData("a/b/c")]
    [InlineData("../app")]
    [InlineData("team/..")]
    [InlineData("team/.")]
    [InlineData("team/")]
    [InlineData("/app")]
    [InlineData("Team/app")]
    [InlineData("team/a_b")]
    [InlineData("team/a%2Fb")]
    [InlineData("team/a\\b")]
    public void AnythingElse_IsNot_SoNoNameCanLeaveItsDirectory(string value)
    {
        Assert.False(RepositoryName.TryParse(value, out _, out var error));
        Assert.NotEmpty(error);
    }
}
