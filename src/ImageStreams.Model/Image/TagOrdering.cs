using System.Globalization;
using System.Text.RegularExpressions;

namespace ImageStreams.Model.Image;

/// <summary>
/// OpenShift's order of tags (PrioritizeTags), used wherever tags are listed or chosen: <c>latest</c> first, then minor
/// versions (<c>5.1</c>, <c>v5.1</c>, <c>5.1-rc1</c>) newest first, then full versions (<c>5.1.3</c>) newest first,
/// then everything else in ordinal order.
/// </summary>
public static partial class TagOrdering
{
    public static IReadOnlyList<string> Prioritize(IEnumerable<string> tags) =>
        tags.Select(Classify).Order(Comparer<Classified>.Create(Compare)).Select(c => c.Tag).ToList();

    private enum Rank
    {
        Latest,
        Minor,
        Full,
        Other,
    }

    private sealed record Classified(string Tag, Rank Rank, long[] Version, string Prerelease, string Prefix);

    private static Classified Classify(string tag)
    {
        if (tag == "latest")
        {
            return new Classified(tag, Rank.Latest, [], "", "");
        }
        var prefix = tag.StartsWith('v') ? "v" : "";
        var text = tag[prefix.Length..];
        var full = FullVersion().Match(text);
        if (full.Success)
        {
            return new Classified(tag, Rank.Full, Numbers(full, 3), full.Groups["pre"].Value, prefix);
        }
        var minor = MinorVersion().Match(text);
        return minor.Success
            ? new Classified(tag, Rank.Minor, [.. Numbers(minor, 2), 0], minor.Groups["pre"].Value, prefix)
            : new Classified(tag, Rank.Other, [], "", prefix);
    }

    private static long[] Numbers(Match match, int count) =>
        Enumerable.Range(1, count).Select(i => long.Parse(match.Groups[i].Value, CultureInfo.InvariantCulture)).ToArray();

    private static int Compare(Classified a, Classified b)
    {
        if (a.Rank != b.Rank)
        {
            return a.Rank.CompareTo(b.Rank);
        }
        if (a.Rank == Rank.Other)
        {
            return string.CompareOrdinal(a.Tag, b.Tag);
        }
        for (var i = 0; i < Math.Min(a.Version.Length, b.Version.Length); i++)
        {
            if (a.Version[i] != b.Version[i])
            {
                return b.Version[i].CompareTo(a.Version[i]);
            }
        }
        // A release is newer than its pre-releases; newer sorts first.
        if (a.Prerelease != b.Prerelease)
        {
            return a.Prerelease.Length == 0 ? -1 : b.Prerelease.Length == 0 ? 1 : string.CompareOrdinal(b.Prerelease, a.Prerelease);
        }
        return string.CompareOrdinal(a.Prefix, b.Prefix);
    }

    [GeneratedRegex(@"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-(?<pre>[0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex FullVersion();

    [GeneratedRegex(@"^(\d+)\.(\d+)(?:-(?<pre>[\w-]+))?$", RegexOptions.CultureInvariant)]
    private static partial Regex MinorVersion();
}
