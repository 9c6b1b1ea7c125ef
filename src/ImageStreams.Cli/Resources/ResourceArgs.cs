using ImageStreams.Model.Meta;

namespace ImageStreams.Cli.Resources;

/// <summary>One resource type and the names asked for (none means the whole collection).</summary>
internal sealed record ResourceSelection(ResourceType Type, IReadOnlyList<string> Names);

/// <summary>
/// Reads kubectl's resource arguments: <c>TYPE [NAME...]</c> or <c>TYPE/NAME...</c>, where TYPE is a plural,
/// singular, kind or short name (is, istag, isimage, image, ns, secret), optionally with its group.
/// </summary>
internal static class ResourceArgs
{
    public const string KnownTypes = "is (imagestreams), istag (imagestreamtags), isimage (imagestreamimages), images, bc (buildconfigs), builds, ns (namespaces), secrets";

    public static IReadOnlyList<ResourceSelection> Parse(IReadOnlyList<string> args, string verb)
    {
        if (args.Count == 0)
        {
            throw new CliException($"you must specify the type of resource to {verb}; known types: {KnownTypes}");
        }
        // Unknown flags reach here as arguments; no resource name starts with '-'.
        if (args.FirstOrDefault(a => a.StartsWith('-')) is { } flag)
        {
            throw new CliException($"unknown flag: {flag} (see 'isctl {verb} --help')");
        }
        if (args[0].Contains('/', StringComparison.Ordinal))
        {
            return ParseSlashed(args);
        }
        var type = ResolveType(args[0]);
        var names = args.Skip(1).ToList();
        if (names.Any(n => n.Contains('/', StringComparison.Ordinal)))
        {
            throw new CliException(
                $"there is no need to give a resource type as a separate argument when passing arguments in resource/name form (e.g. 'isctl {verb} is/rhel7' instead of 'isctl {verb} is is/rhel7')");
        }
        if (names.Any(string.IsNullOrWhiteSpace))
        {
            throw new CliException("resource names may not be empty");
        }
        return [new ResourceSelection(type, names)];
    }

    /// <summary>Resolves a type name, or explains which names exist.</summary>
    public static ResourceType ResolveType(string name) =>
        ResourceTypes.Resolve(name) ?? throw new CliException($"the server doesn't have a resource type \"{name}\" (known types: {KnownTypes})");

    /// <summary>Stops early when the API does not offer the verb for the type, rather than sending a request that must fail.</summary>
    public static void RequireVerb(ResourceType type, string verb)
    {
        if (!type.Verbs.Contains(verb))
        {
            throw new CliException(
                $"{type.GroupResource} does not support \"{verb}\" (it supports: {string.Join(", ", type.Verbs)})");
        }
    }

    private static List<ResourceSelection> ParseSlashed(IReadOnlyList<string> args)
    {
        var selections = new List<ResourceSelection>();
        foreach (var arg in args)
        {
            var slash = arg.IndexOf('/', StringComparison.Ordinal);
            if (slash <= 0 || slash == arg.Length - 1)
            {
                throw new CliException($"arguments in resource/name form must have a single resource and name, got \"{arg}\"");
            }
            var type = ResolveType(arg[..slash]);
            var name = arg[(slash + 1)..];
            // Consecutive names of one type form one group, so tables print once per type, as kubectl's do.
            if (selections.Count > 0 && selections[^1].Type == type)
            {
                selections[^1] = selections[^1] with { Names = [.. selections[^1].Names, name] };
            }
            else
            {
                selections.Add(new ResourceSelection(type, [name]));
            }
        }
        return selections;
    }
}
