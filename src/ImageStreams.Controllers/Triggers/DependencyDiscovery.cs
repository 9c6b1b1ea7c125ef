using ImageStreams.Builder.Dockerfiles;
using ImageStreams.Model.Build;

namespace ImageStreams.Controllers.Triggers;

/// <summary>
/// Finds the tag of one of our streams that a BuildConfig's inline Dockerfile builds on: the final stage's FROM (followed
/// through stage names), when it is <c>&lt;registry host&gt;/&lt;ns&gt;/&lt;stream&gt;:&lt;tag&gt;</c> or a bare
/// <c>stream:tag</c> of the config's namespace.
/// </summary>
internal static class DependencyDiscovery
{
    /// <summary>The base tag, or null when the Dockerfile names none of ours, cannot be read, or the config opted out.</summary>
    public static StreamTagKey? BaseTag(BuildConfig config, string registryHost)
    {
        if (config.Metadata.Annotation(BuildTriggers.DiscoverAnnotation) == "false" ||
            config.Spec.Strategy.DockerStrategy is null || config.Spec.Strategy.From is not null ||
            string.IsNullOrWhiteSpace(config.Spec.Source.Dockerfile) || config.Metadata.Namespace is not { } ns)
        {
            return null;
        }
        Dockerfile dockerfile;
        try
        {
            dockerfile = DockerfileParser.Parse(config.Spec.Source.Dockerfile);
        }
        catch (DockerfileParseException)
        {
            return null;
        }
        var stage = dockerfile.FinalStage;
        for (var hops = 0; hops < dockerfile.Stages.Count; hops++)
        {
            var named = dockerfile.Stages.FirstOrDefault(s => s.Index < stage.Index && s.Name == stage.BaseImage.ToLowerInvariant());
            if (named is null)
            {
                break;
            }
            stage = named;
        }
        return FromPullSpec(stage.BaseImage, ns, registryHost);
    }

    /// <summary>The tag a pull spec names on our registry; null for other registries, digests and references with variables.</summary>
    public static StreamTagKey? FromPullSpec(string image, string ns, string registryHost)
    {
        if (image.Contains('$', StringComparison.Ordinal) || image.Contains('@', StringComparison.Ordinal))
        {
            return null;
        }
        var parts = image.Split('/');
        string space, rest;
        if (parts.Length == 3 && string.Equals(parts[0], registryHost, StringComparison.OrdinalIgnoreCase))
        {
            (space, rest) = (parts[1], parts[2]);
        }
        else if (parts.Length == 1)
        {
            (space, rest) = (ns, parts[0]);
        }
        else
        {
            return null;
        }
        var colon = rest.LastIndexOf(':');
        return colon <= 0 || colon == rest.Length - 1 ? null : new StreamTagKey(space, rest[..colon], rest[(colon + 1)..]);
    }
}
