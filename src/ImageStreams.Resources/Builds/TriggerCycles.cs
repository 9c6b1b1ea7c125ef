using ImageStreams.Model.Build;

namespace ImageStreams.Resources.Builds;

/// <summary>
/// Cycles of image change triggers: BuildConfig A outputs to a tag that triggers B, ..., which outputs to a tag that
/// triggers A again. Such a chain would rebuild forever, so it is refused when a trigger is written and skipped at run time.
/// </summary>
public static class TriggerCycles
{
    /// <summary>
    /// The cycle through <paramref name="candidate"/> among <paramref name="others"/> (the candidate's stored version, if
    /// any, is ignored there) as a readable chain, or null when there is none. Paused triggers count: they can be resumed.
    /// </summary>
    public static string? Find(BuildConfig candidate, IEnumerable<BuildConfig> others)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        var self = Key(candidate);
        var nodes = others.Where(c => Key(c) != self).Append(candidate)
            .Select(c => new Node(Key(c), BuildTriggers.Output(c), BuildTriggers.Watched(c).Select(w => w.Tag).ToHashSet()))
            .ToList();
        var start = nodes[^1];
        var byWatchedTag = nodes.SelectMany(n => n.Watched.Select(t => (Tag: t, Node: n))).ToLookup(p => p.Tag, p => p.Node);

        // Depth-first from the candidate along "outputs to a tag watched by"; the first path back to it is the cycle.
        var visited = new HashSet<string>();
        var path = new List<(Node Node, StreamTagKey Tag)>();
        return Walk(start) ? Describe(path) : null;

        bool Walk(Node node)
        {
            if (node.Output is not { } output)
            {
                return false;
            }
            foreach (var next in byWatchedTag[output])
            {
                path.Add((node, output));
                if (next.Key == start.Key || (visited.Add(next.Key) && Walk(next)))
                {
                    return true;
                }
                path.RemoveAt(path.Count - 1);
            }
            return false;
        }

        // buildconfig ns/c outputs to ns/x:latest, which triggers buildconfig ns/a, which outputs to ..., which triggers buildconfig ns/c
        string Describe(List<(Node Node, StreamTagKey Tag)> steps) =>
            $"buildconfig {steps[0].Node.Key} outputs to {steps[0].Tag}" +
            string.Concat(steps.Skip(1).Select(s => $", which triggers buildconfig {s.Node.Key}, which outputs to {s.Tag}")) +
            $", which triggers buildconfig {start.Key}";
    }

    private static string Key(BuildConfig config) => $"{config.Metadata.Namespace}/{config.Metadata.Name}";

    private sealed record Node(string Key, StreamTagKey? Output, HashSet<StreamTagKey> Watched);
}
