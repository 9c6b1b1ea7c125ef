using ImageStreams.Cli.Printers;

namespace ImageStreams.Cli.Tests.Printers;

public class AgesTests
{
    [Theory]
    [InlineData(0, "Less than a second")]
    [InlineData(0.9, "Less than a second")]
    [InlineData(-30, "Less than a second")]
    [InlineData(1, "1 second")]
    [InlineData(5, "5 seconds")]
    [InlineData(59, "59 seconds")]
    [InlineData(60, "About a minute")]
    [InlineData(119, "About a minute")]
    [InlineData(5 * 60, "5 minutes")]
    [InlineData(59 * 60, "59 minutes")]
    [InlineData(60 * 60, "About an hour")]
    [InlineData(90 * 60, "2 hours")]
    [InlineData(2 * 3600, "2 hours")]
    [InlineData(47 * 3600, "47 hours")]
    [InlineData(3 * 86400, "3 days")]
    [InlineData(14 * 86400, "2 weeks")]
    [InlineData(60 * 86400, "2 months")]
    [InlineData(800 * 86400, "2 years")]
    public void Human_PrintsAgesAsOcDoes(double seconds, string expected) =>
        Assert.Equal(expected, Ages.Human(TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void Ago_AddsAgoToTheHumanForm()
    {
        var now = new DateTimeOffset(2024, 1, 10, 12, 0, 0, TimeSpan.Zero);
        Assert.Equal("2 hours ago", Ages.Ago(now.AddHours(-2), now));
        Assert.Equal("Less than a second ago", Ages.Ago(now, now));
    }

    [Theory]
    [InlineData(-5, "<invalid>")]
    [InlineData(-1, "0s")]
    [InlineData(0, "0s")]
    [InlineData(45, "45s")]
    [InlineData(119, "119s")]
    [InlineData(120, "2m")]
    [InlineData(5 * 60 + 10, "5m10s")]
    [InlineData(10 * 60 + 10, "10m")]
    [InlineData(179 * 60, "179m")]
    [InlineData(3 * 3600, "3h")]
    [InlineData(3 * 3600 + 4 * 60, "3h4m")]
    [InlineData(8 * 3600 + 4 * 60, "8h")]
    [InlineData(2 * 86400, "2d")]
    [InlineData(2 * 86400 + 3 * 3600, "2d3h")]
    [InlineData(8 * 86400 + 3 * 3600, "8d")]
    [InlineData(730 * 86400, "2y")]
    [InlineData(800 * 86400, "2y70d")]
    [InlineData(3000 * 86400, "8y")]
    public void Short_PrintsAgesAsKubectlsAgeColumnDoes(double seconds, string expected) =>
        Assert.Equal(expected, Ages.Short(TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void Age_WithoutCreationTime_IsUnknown() =>
        Assert.Equal("<unknown>", Ages.Age(null, DateTimeOffset.UtcNow));
}
