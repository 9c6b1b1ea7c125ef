namespace ImageStreams.Cli.Printers;

/// <summary>
/// kubectl's table layout: left-aligned columns at least 6 wide with 3 spaces between them, the last column unpadded.
/// Widths only grow, so rows printed later (by a watch) stay aligned with the header.
/// </summary>
internal sealed class TableWriter(TextWriter output)
{
    private const int MinWidth = 6;
    private const int Padding = 3;

    private int[] widths = [];

    public void Write(IReadOnlyList<IReadOnlyList<string>> rows)
    {
        foreach (var row in rows)
        {
            if (widths.Length < row.Count)
            {
                Array.Resize(ref widths, row.Count);
            }
            for (var i = 0; i < row.Count - 1; i++)
            {
                widths[i] = Math.Max(widths[i], Math.Max(MinWidth, row[i].Length + Padding));
            }
        }
        foreach (var row in rows)
        {
            for (var i = 0; i < row.Count; i++)
            {
                output.Write(i < row.Count - 1 ? row[i].PadRight(widths[i]) : row[i]);
            }
            output.Write('\n');
        }
    }
}
