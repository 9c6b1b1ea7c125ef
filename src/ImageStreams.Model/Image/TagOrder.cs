using System.Text.RegularExpressions;

namespace ImageStreams.Model.Image;

/// <summary>
/// The order in which tags are shown and imported: <c>latest</c>, then short versions ("5.1") newest first,
/// then full versions ("v1.2.3") newest first, then every other tag alphabetically.
/// </summary>
public static partial class TagOrder
{
    [GeneratedRegex(@"^v?(\d+)\.(\d+)(-\w+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex ShortVersion();

    [GeneratedRegex(@"^v?(\d+)\.(\d+)\.(\d+)([-+][0-9A-Za-z.+-]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex FullVersion();

    public static IReadOnlyList<string> Prioritize(IEnumerable<string> tags) =>
        tags.Distinct().Select(Classify).Order().Select(k => k.Tag).ToList();

    private static TagKey Classify(string tag)
    {
        if (tag == "latest")
        {
            return new TagKey(0, [], tag);
        }
        if (ShortVersion().Match(tag) is { Success: true } s)
        {
            return new TagKey(1, [Number(s.Groups[1].Value), Number(s.Groups[2].Value)], tag);
        }
        if (FullVersion().Match(tag) is { Success: true } f)
        {
            return new TagKey(2, [Number(f.Groups[1].Value), Number(f.Groups[2].Value), Number(f.Groups[3].Value)], tag);
        }
        return new TagKey(3, [], tag);
    }

    private static long Number(string digits) => long.TryParse(digits, out var n) ? n : long.MaxValue;

    private sealed record TagKey(int Rank, long[] Version, string Tag) : IComparable<TagKey>
    {
        public int CompareTo(TagKey? other)
        {
            if (other is null)
            {
                return 1;
            }
            if (Rank != other.Rank)
            {
                return Rank.CompareTo(other.Rank);
            }
            for (var i = 0; i < Math.Min(Version.Length, other.Version.Length); i++)
            {
                if (Version[i] != other.Version[i])
                {
                    // Newer versions first.
                    return other.Version[i].CompareTo(Version[i]);
                }
            }
            return string.CompareOrdinal(Tag, other.Tag);
        }
    }
}
