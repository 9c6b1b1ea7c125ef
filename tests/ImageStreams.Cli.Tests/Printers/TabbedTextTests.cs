using ImageStreams.Cli.Printers;

namespace ImageStreams.Cli.Tests.Printers;

public class TabbedTextTests
{
    [Fact]
    public void Cells_AreAlignedWithTabsOnTheWidestCellOfTheirBlock()
    {
        var text = new TabbedText()
            .Line("Name:\trhel7")
            .Line("Namespace:\tp")
            .Line("Docker Pull Spec:\tregistry/p/rhel7")
            .ToString();

        Assert.Equal("Name:\t\t\trhel7\nNamespace:\t\tp\nDocker Pull Spec:\tregistry/p/rhel7\n", text);
    }

    [Fact]
    public void LinesWithoutTheColumn_EndTheBlock()
    {
        var text = new TabbedText()
            .Line("Image Repository:\tx")
            .Line()
            .Line("A:\ty")
            .Line("      2 hours ago\tsha256:abc")
            .ToString();

        Assert.Equal("Image Repository:\tx\n\nA:\t\t\ty\n      2 hours ago\tsha256:abc\n", text);
    }

    [Fact]
    public void EmptyCells_ArePaddedToTheColumn()
    {
        var text = new TabbedText().Line("Labels:\ta=b").Line("\tc=d").Line("Annotations:\t<none>").ToString();

        Assert.Equal("Labels:\t\ta=b\n\t\tc=d\nAnnotations:\t<none>\n", text);
    }
}
