using System.Globalization;

namespace ImageStreams.Cli.Printers;

/// <summary>oc's TAGS cell of <c>get is</c>.</summary>
internal static class TagSummary
{
    /// <summary>
    /// As many of the (already ordered) tags as fit in about <paramref name="width"/> characters, at least one,
    /// then "+ N more...".
    /// </summary>
    public static string Of(IReadOnlyList<string> orderedTags, int width = 40)
    {
        var shown = orderedTags.Count;
        var remaining = width;
        for (var i = 0; i < orderedTags.Count; i++)
        {
            var tag = orderedTags[i];
            remaining -= tag.Length + 1;
            if (remaining >= 0)
            {
                continue;
            }
            if (i == 0)
            {
                shown = 1;
                break;
            }
            // Over budget: still take this tag when more than a quarter of the width was free before it and the
            // overshoot stays within a quarter, so the column edge looks less ragged.
            var margin = width / 4;
            if (margin < remaining + tag.Length && margin >= -remaining)
            {
                continue;
            }
            shown = i;
            break;
        }
        var text = string.Join(",", orderedTags.Take(shown));
        var hidden = orderedTags.Count - shown;
        return hidden > 0 ? $"{text} + {hidden.ToString(CultureInfo.InvariantCulture)} more..." : text;
    }
}
