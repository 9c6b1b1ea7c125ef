using System.Text;

namespace ImageStreams.Cli.Printers;

/// <summary>
/// Text laid out as oc's describers do: lines of tab-separated cells padded with tabs by Go's text/tabwriter rules
/// (tab width 8, padding 1). Consecutive lines that have a cell in a column form a block aligned on its widest cell;
/// a line without that cell ends the block. The last cell of a line is never padded.
/// </summary>
internal sealed class TabbedText
{
    private const int TabWidth = 8;
    private const int Padding = 1;

    private readonly List<string[]> lines = [];

    /// <summary>Adds one line; '\t' separates its cells.</summary>
    public TabbedText Line(string text = "")
    {
        lines.Add(text.Split('\t'));
        return this;
    }

    public override string ToString()
    {
        var output = new StringBuilder();
        Format(output, [], 0, lines.Count);
        return output.ToString();
    }

    private void Format(StringBuilder output, List<int> widths, int first, int end)
    {
        var column = widths.Count;
        for (var line = first; line < end; line++)
        {
            if (column >= lines[line].Length - 1)
            {
                continue;
            }
            // A block of this column starts here: lines above it are complete.
            Write(output, widths, first, line);
            first = line;
            var width = 0;
            for (; line < end && column < lines[line].Length - 1; line++)
            {
                width = Math.Max(width, CellWidth(lines[line][column]) + Padding);
            }
            widths.Add(width);
            Format(output, widths, first, line);
            widths.RemoveAt(widths.Count - 1);
            first = line;
        }
        Write(output, widths, first, end);
    }

    private void Write(StringBuilder output, List<int> widths, int first, int end)
    {
        for (var line = first; line < end; line++)
        {
            var cells = lines[line];
            for (var i = 0; i < cells.Length; i++)
            {
                output.Append(cells[i]);
                if (i < widths.Count)
                {
                    var cellWidth = (widths[i] + TabWidth - 1) / TabWidth * TabWidth;
                    var tabs = (cellWidth - CellWidth(cells[i]) + TabWidth - 1) / TabWidth;
                    output.Append('\t', tabs);
                }
            }
            output.Append('\n');
        }
    }

    private static int CellWidth(string cell) => cell.EnumerateRunes().Count();
}
