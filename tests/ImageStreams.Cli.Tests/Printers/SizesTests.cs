using ImageStreams.Cli.Printers;

namespace ImageStreams.Cli.Tests.Printers;

public class SizesTests
{
    [Theory]
    [InlineData(0, "0B")]
    [InlineData(512, "512B")]
    [InlineData(999, "999B")]
    [InlineData(1000, "1kB")]
    [InlineData(1_266, "1.266kB")]
    [InlineData(1_500, "1.5kB")]
    [InlineData(75_833_000, "75.83MB")]
    [InlineData(75_840_000, "75.84MB")]
    [InlineData(999_999, "1000kB")]
    [InlineData(3_210_000_000, "3.21GB")]
    public void Human_PrintsDecimalUnitsWithFourSignificantDigits(long bytes, string expected) =>
        Assert.Equal(expected, Sizes.Human(bytes));
}
