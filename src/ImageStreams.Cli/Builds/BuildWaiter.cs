using System.Text.Json.Nodes;
using ImageStreams.Cli.Printers;
using ImageStreams.Model.Build;
using ImageStreams.Model.Meta;
using BuildModel = ImageStreams.Model.Build.Build;

namespace ImageStreams.Cli.Builds;

/// <summary>Waits for a build to end by watching it.</summary>
internal static class BuildWaiter
{
    public static async Task<BuildModel> WaitAsync(CommandContext context, string ns, string name, CancellationToken cancellationToken)
    {
        while (true)
        {
            var path = Api.ResourcePaths.WithQuery(Api.ResourcePaths.Collection(ResourceTypes.Builds, ns), ("fieldSelector", $"metadata.name={name}"));
            await foreach (var e in context.Api.WatchAsync(path, cancellationToken))
            {
                if (e.Type == WatchEvent<JsonObject>.Deleted)
                {
                    throw new CliException($"build {name} was deleted before it ended");
                }
                var build = ObjectPrinter.As<BuildModel>(e.Object);
                if (BuildPhases.IsTerminal(build.Status.Phase))
                {
                    return build;
                }
            }
        }
    }

    /// <summary>Exit code 0 for a complete build; otherwise the reason on stderr and 1.</summary>
    public static int Report(CommandContext context, BuildModel build)
    {
        if (build.Status.Phase == BuildPhases.Complete)
        {
            return 0;
        }
        var why = string.IsNullOrEmpty(build.Status.Message) ? "" : $": {build.Status.Message}";
        context.Error.WriteLine($"error: build {build.Metadata.Name} {build.Status.Phase.ToLowerInvariant()}{why}");
        return 1;
    }
}
