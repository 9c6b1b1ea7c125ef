using ImageStreams.Model.Image;

namespace ImageStreams.Model.Tests.Image;

public class TagOrderingTests
{
    [Fact]
    public void Prioritize_PutsLatestThenShortVersionsThenFullVersionsThenTheRest()
    {
        var ordered = TagOrdering.Prioritize(["beta", "1.2.3", "5.1", "latest", "v1.10.0", "10.0", "alpha", "5.10"]);
        Assert.Equal(["latest", "10.0", "5.10", "5.1", "v1.10.0", "1.2.3", "alpha", "beta"], ordered);
    }
}
