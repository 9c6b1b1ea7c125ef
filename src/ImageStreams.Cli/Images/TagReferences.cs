using ImageStreams.Model.Image;

namespace ImageStreams.Cli.Images;

/// <summary>Why a chain of tags pointing at tags of the same stream ends without a source.</summary>
internal enum FollowError
{
    None,

    /// <summary>The chain reaches a tag the spec does not have.</summary>
    NotFound,

    /// <summary>The chain leaves the stream (another stream or namespace).</summary>
    CrossStream,

    /// <summary>The chain comes back to a tag already seen.</summary>
    Circular,
}

/// <summary>
/// Where a chain of spec tags ends: <paramref name="FinalTag"/> and its spec (null on an error);
/// <paramref name="Multiple"/> is true when at least one reference was followed.
/// </summary>
internal sealed record FollowedTag(string FinalTag, TagReference? Reference, bool Multiple, FollowError Error);

internal static class TagReferences
{
    public const string DefaultTag = "latest";

    /// <summary>Follows spec tags that point at other tags of the same stream (<c>tag</c> or <c>stream:tag</c>), as oc does.</summary>
    public static FollowedTag Follow(ImageStream stream, string tag)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (true)
        {
            if (!seen.Add(tag))
            {
                return new FollowedTag(tag, null, seen.Count > 1, FollowError.Circular);
            }
            var spec = stream.SpecTag(tag);
            if (spec is null)
            {
                return new FollowedTag(tag, null, seen.Count > 1, FollowError.NotFound);
            }
            if (spec.From is not { Kind: SourceKinds.ImageStreamTag } from)
            {
                return new FollowedTag(tag, spec, seen.Count > 1, FollowError.None);
            }
            if (!string.IsNullOrEmpty(from.Namespace) && from.Namespace != stream.Metadata.Namespace)
            {
                return new FollowedTag(tag, null, seen.Count > 1, FollowError.CrossStream);
            }
            var name = from.Name ?? "";
            var colon = name.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                tag = name;
                continue;
            }
            if (name[..colon] != stream.Metadata.Name)
            {
                return new FollowedTag(tag, null, seen.Count > 1, FollowError.CrossStream);
            }
            // "stream:" means the stream's latest, as everywhere a tag may be left out.
            tag = colon == name.Length - 1 ? DefaultTag : name[(colon + 1)..];
        }
    }
}
