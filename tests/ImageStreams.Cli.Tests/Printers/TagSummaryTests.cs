using ImageStreams.Cli.Printers;
using ImageStreams.Model.Image;

namespace ImageStreams.Cli.Tests.Printers;

public class TagSummaryTests
{
    [Fact]
    public void Tags_AreListedInOcsOrder()
    {
        var ordered = TagOrdering.Prioritize(["1.0", "latest", "v2.1", "other", "2.0.1", "abc", "1.10", "v1.10", "2.0.0-rc1", "5.1-rc1", "01.2.3"]);

        Assert.Equal("latest,5.1-rc1,v2.1,1.10,v1.10,1.0 + 5 more...", TagSummary.Of(ordered));
        Assert.Equal(["latest", "5.1-rc1", "v2.1", "1.10", "v1.10", "1.0", "2.0.1", "2.0.0-rc1", "01.2.3", "abc", "other"], ordered);
    }

    [Fact]
    public void EveryTagThatFits_IsShown() =>
        Assert.Equal("latest,1.0", TagSummary.Of(["latest", "1.0"]));

    [Fact]
    public void TagsBeyondTheWidth_AreCounted()
    {
        var tags = Enumerable.Range(1, 12).Select(i => $"tag-{i:00}").ToList();

        Assert.Equal("tag-01,tag-02,tag-03,tag-04,tag-05 + 7 more...", TagSummary.Of(tags));
    }

    [Fact]
    public void TheFirstTag_IsAlwaysShown() =>
        Assert.Equal(new string('a', 50) + " + 1 more...", TagSummary.Of([new string('a', 50), "b"]));

    [Fact]
    public void OneMoreTag_IsTakenWhenTheOvershootIsSmall()
    {
        var first = new string('a', 25);
        var second = new string('b', 20);

        Assert.Equal($"{first},{second} + 1 more...", TagSummary.Of([first, second, "c"]));
    }
}
