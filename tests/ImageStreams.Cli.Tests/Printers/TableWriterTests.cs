using ImageStreams.Cli.Printers;

namespace ImageStreams.Cli.Tests.Printers;

public class TableWriterTests
{
    [Fact]
    public void Columns_AreLeftAlignedWithThreeSpacesBetween()
    {
        var output = new StringWriter();

        new TableWriter(output).Write(
        [
            ["NAME", "IMAGE REPOSITORY", "TAGS", "UPDATED"],
            ["rhel7", "127.0.0.1:8080/p/rhel7", "latest", "2 hours ago"],
        ]);

        Assert.Equal(
            "NAME    IMAGE REPOSITORY         TAGS     UPDATED\n" +
            "rhel7   127.0.0.1:8080/p/rhel7   latest   2 hours ago\n",
            output.ToString());
    }

    [Fact]
    public void Columns_AreAtLeastSixWide()
    {
        var output = new StringWriter();

        new TableWriter(output).Write([["NS", "A"], ["a", "b"]]);

        Assert.Equal("NS    A\na     b\n", output.ToString());
    }

    [Fact]
    public void RowsWrittenLater_KeepTheWidthsOfEarlierOnes()
    {
        var output = new StringWriter();
        var table = new TableWriter(output);

        table.Write([["NAME", "STATUS"], ["a-long-name", "Active"]]);
        table.Write([["b", "Active"]]);

        Assert.Equal("NAME          STATUS\na-long-name   Active\nb             Active\n", output.ToString());
    }
}
