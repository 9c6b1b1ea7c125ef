using System.CommandLine;
using System.Text.Json.Nodes;
using ImageStreams.Cli.Api;
using ImageStreams.Cli.Builds;
using ImageStreams.Cli.Printers;
using ImageStreams.Model.Build;
using ImageStreams.Model.Image;
using ImageStreams.Model.Meta;
using ImageStreams.Model.Serialization;

namespace ImageStreams.Cli.Commands;

/// <summary>
/// <c>isctl new-build SOURCE</c>: a BuildConfig (and its output image stream) from a git repository, a local directory or
/// an inline Dockerfile, as oc new-build makes one; the first build starts at once unless the source is binary.
/// </summary>
internal static class NewBuildCommand
{
    public static Command Create(CliHost host)
    {
        var source = new Argument<string?>("source")
        {
            Arity = ArgumentArity.ZeroOrOne,
            Description = "A git URL, or a local directory (a git repository, or any directory with --binary)",
        };
        var strategy = new Option<string>("--strategy") { Description = "docker (a Dockerfile) or source (source-to-image)", DefaultValueFactory = _ => "docker" };
        var imageStream = new Option<string?>("--image-stream", "-i") { Description = "Build on this image stream tag (STREAM[:TAG]), instead of the Dockerfile's FROM" };
        var dockerImage = new Option<string?>("--docker-image") { Description = "Build on this image (a pull spec), instead of the Dockerfile's FROM" };
        var name = new Option<string?>("--name") { Description = "Name of the BuildConfig (default: from the source)" };
        var to = new Option<string?>("--to") { Description = "Push the result to this image stream tag (STREAM[:TAG]; default NAME:latest)" };
        var dockerfile = new Option<string?>("--dockerfile", "-D") { Description = "An inline Dockerfile; with no SOURCE it is the whole build context" };
        var binary = new Option<bool>("--binary") { Description = "Take the sources from start-build --from-dir/--from-file/--from-archive" };
        var contextDir = new Option<string?>("--context-dir") { Description = "The directory of the sources to build, within the repository" };
        var gitRef = new Option<string?>("--ref") { Description = "The git branch, tag or commit to build" };
        var command = new DocumentedCommand("new-build", "Create a BuildConfig that builds an image into an image stream.", """
            The BuildConfig builds with the Dockerfile of SOURCE (or --dockerfile) and pushes to the stream tag --to,
            creating the stream when it is missing. Its base is --image-stream or --docker-image; without either, the
            Dockerfile's final FROM is used, as an image stream tag when it names one of this namespace (STREAM:TAG).
            A base from an image stream tag gets an ImageChange trigger. The first build starts at once, except for
            --binary builds, which wait for start-build with their sources.

            Examples:
              # Build a local git repository whose Dockerfile is FROM httpd:2.4
              isctl new-build ./httpd-base --name httpd-base

              # Build app-a on the image stream tag httpd-base:latest
              isctl new-build https://git.example.com/apps.git --context-dir app-a --image-stream httpd-base:latest --name app-a

              # A binary build: sources come with each start-build
              isctl new-build --binary --name web --docker-image registry.example.com/base:1
              isctl start-build web --from-dir=. --follow
            """)
        {
            source, strategy, imageStream, dockerImage, name, to, dockerfile, binary, contextDir, gitRef,
        };
        command.SetContextAction(host, (context, parse, cancellationToken) => RunAsync(context, new Request(
            parse.GetValue(source), parse.GetValue(strategy)!, parse.GetValue(imageStream), parse.GetValue(dockerImage), parse.GetValue(name),
            parse.GetValue(to), parse.GetValue(dockerfile), parse.GetValue(binary), parse.GetValue(contextDir), parse.GetValue(gitRef)), cancellationToken));
        return command;
    }

    internal sealed record Request(
        string? Source, string Strategy, string? ImageStream, string? DockerImage, string? Name, string? To, string? Dockerfile, bool Binary,
        string? ContextDir, string? Ref);

    private static async Task<int> RunAsync(CommandContext context, Request request, CancellationToken cancellationToken)
    {
        var ns = context.Namespace;
        var plan = Plan(request);
        var from = await BaseAsync(context, request, plan, cancellationToken);
        var (stream, tag) = SplitTag(request.To ?? plan.Name);
        var labels = new JsonObject { ["build"] = plan.Name };
        context.Out.WriteLine($"--> Creating resources with label build={plan.Name} ...");
        if (await FindAsync(context, ResourcePaths.Item(ResourceTypes.ImageStreams, ns, stream), cancellationToken) is null)
        {
            await context.Api.CreateAsync(ResourcePaths.Collection(ResourceTypes.ImageStreams, ns), new JsonObject
            {
                ["apiVersion"] = ImageApi.GroupVersion,
                ["kind"] = ImageStream.KindName,
                ["metadata"] = new JsonObject { ["name"] = stream, ["labels"] = labels.DeepClone() },
            }, cancellationToken);
            context.Out.WriteLine($"    imagestream.image.openshift.io \"{stream}\" created");
        }
        var config = new BuildConfig
        {
            Metadata = new ObjectMeta { Name = plan.Name, Labels = new Dictionary<string, string> { ["build"] = plan.Name } },
            Spec = new BuildConfigSpec
            {
                Source = plan.Source,
                Strategy = request.Strategy == "source"
                    ? new BuildStrategy { Type = BuildStrategyTypes.Source, SourceStrategy = new SourceBuildStrategy { From = from } }
                    : new BuildStrategy { Type = BuildStrategyTypes.Docker, DockerStrategy = new DockerBuildStrategy { From = from } },
                Output = new BuildOutput { To = new ObjectReference { Kind = SourceKinds.ImageStreamTag, Name = $"{stream}:{tag}" } },
                Triggers = from?.Kind == SourceKinds.ImageStreamTag
                    ? [new BuildTriggerPolicy { Type = BuildTriggerTypes.ImageChange, ImageChange = new ImageChangeTrigger() }]
                    : null,
            },
        };
        var body = ResourceJson.ToNode(config);
        body.Remove("status");
        await context.Api.CreateAsync(ResourcePaths.Collection(ResourceTypes.BuildConfigs, ns), body, cancellationToken);
        context.Out.WriteLine($"    buildconfig.build.openshift.io \"{plan.Name}\" created");
        context.Out.WriteLine("--> Success");
        if (request.Binary)
        {
            context.Out.WriteLine($"    BuildConfig \"{plan.Name}\" created; start a build with its sources: 'isctl start-build {plan.Name} --from-dir=DIR'");
            return 0;
        }
        try
        {
            // Only as the first build: the server's image change trigger may have started it already.
            await context.Api.CreateAsync(BuildPaths.Instantiate(ns, plan.Name), new JsonObject
            {
                ["apiVersion"] = BuildApi.GroupVersion,
                ["kind"] = BuildRequest.KindName,
                ["metadata"] = new JsonObject { ["name"] = plan.Name },
                ["lastVersion"] = 0,
            }, cancellationToken);
        }
        catch (ApiException e) when (e.Reason == StatusReasons.Conflict)
        {
        }
        context.Out.WriteLine($"    Build configuration \"{plan.Name}\" created and build triggered.");
        context.Out.WriteLine($"    Run 'isctl logs -f bc/{plan.Name}' to stream the build progress.");
        return 0;
    }

    /// <summary>The BuildConfig's name and source, and where its Dockerfile can be read locally (null when it cannot).</summary>
    internal sealed record SourcePlan(string Name, BuildSource Source, string? LocalDockerfile);

    internal static SourcePlan Plan(Request request)
    {
        if (request.Strategy is not ("docker" or "source"))
        {
            throw new CliException($"--strategy must be docker or source (got \"{request.Strategy}\")");
        }
        if (request.ImageStream is not null && request.DockerImage is not null)
        {
            throw new CliException("--image-stream and --docker-image cannot both be given");
        }
        if (request.Strategy == "source" && request.ImageStream is null && request.DockerImage is null)
        {
            throw new CliException("--strategy=source needs the builder image: --image-stream or --docker-image");
        }
        var contextDir = string.IsNullOrEmpty(request.ContextDir) ? null : request.ContextDir;
        if (request.Source is null)
        {
            if (request.Dockerfile is null && !request.Binary)
            {
                throw new CliException("new-build needs a SOURCE (a git URL or directory), --dockerfile, or --binary");
            }
            var name = request.Name ?? (request.To is { } to ? SplitTag(to).Stream : null)
                       ?? throw new CliException("--name is required when there is no SOURCE");
            return new SourcePlan(name, new BuildSource
            {
                Dockerfile = request.Dockerfile,
                Binary = request.Binary ? new BinaryBuildSource() : null,
                ContextDir = contextDir,
            }, null);
        }
        var remote = request.Source.Contains("://", StringComparison.Ordinal) || request.Source.StartsWith("git@", StringComparison.Ordinal);
        string uri;
        string? local = null;
        if (remote)
        {
            uri = request.Source;
            if (uri.StartsWith("file://", StringComparison.Ordinal))
            {
                local = new Uri(uri).LocalPath;
            }
        }
        else
        {
            local = Path.GetFullPath(request.Source);
            if (!Directory.Exists(local))
            {
                throw new CliException($"the source \"{request.Source}\" is neither a git URL nor a directory");
            }
            if (!request.Binary && !Directory.Exists(Path.Combine(local, ".git")) && !File.Exists(Path.Combine(local, ".git")))
            {
                throw new CliException($"\"{request.Source}\" is not a git repository: make it one (git init), or use --binary and start-build --from-dir");
            }
            uri = local;
        }
        var derived = request.Name ?? Sanitize(Path.GetFileName(uri.TrimEnd('/')).Replace(".git", "", StringComparison.Ordinal));
        var dockerfile = local is null || request.Dockerfile is not null ? null : Path.Combine(local, contextDir ?? "", "Dockerfile");
        return new SourcePlan(derived, new BuildSource
        {
            Git = request.Binary ? null : new GitBuildSource { Uri = uri, Ref = request.Ref },
            Binary = request.Binary ? new BinaryBuildSource() : null,
            Dockerfile = request.Dockerfile,
            ContextDir = contextDir,
        }, dockerfile);
    }

    /// <summary>The strategy's from: a flag, else the Dockerfile's final FROM (an image stream tag of this namespace when it names one).</summary>
    private static async Task<ObjectReference?> BaseAsync(CommandContext context, Request request, SourcePlan plan, CancellationToken cancellationToken)
    {
        if (request.ImageStream is { } stream)
        {
            var (name, tag) = SplitTag(stream);
            return new ObjectReference { Kind = SourceKinds.ImageStreamTag, Name = $"{name}:{tag}" };
        }
        if (request.DockerImage is { } image)
        {
            return new ObjectReference { Kind = SourceKinds.DockerImage, Name = image };
        }
        var text = request.Dockerfile ?? (plan.LocalDockerfile is { } path && File.Exists(path) ? await File.ReadAllTextAsync(path, cancellationToken) : null);
        if (FinalFrom(text) is not { } from)
        {
            return null;
        }
        if (!from.Contains('/', StringComparison.Ordinal))
        {
            var (name, tag) = SplitTag(from);
            var streamObject = await FindAsync(context, ResourcePaths.Item(ResourceTypes.ImageStreams, context.Namespace, name), cancellationToken);
            if (streamObject is not null)
            {
                return new ObjectReference { Kind = SourceKinds.ImageStreamTag, Name = $"{name}:{tag}" };
            }
        }
        return new ObjectReference { Kind = SourceKinds.DockerImage, Name = from };
    }

    /// <summary>The image of the last FROM; null when there is none, or it names an earlier stage or uses a build argument.</summary>
    internal static string? FinalFrom(string? dockerfile)
    {
        if (dockerfile is null)
        {
            return null;
        }
        var stages = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        string? image = null;
        foreach (var raw in dockerfile.Split('\n'))
        {
            var words = raw.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words.Length < 2 || !words[0].Equals("FROM", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            var rest = words.Skip(1).Where(w => !w.StartsWith("--", StringComparison.Ordinal)).ToArray();
            if (rest.Length == 0)
            {
                continue;
            }
            image = rest[0];
            if (rest.Length >= 3 && rest[1].Equals("AS", StringComparison.OrdinalIgnoreCase))
            {
                stages.Add(rest[2]);
            }
        }
        return image is null || image.Contains('$', StringComparison.Ordinal) || stages.Contains(image) || image == "scratch" ? null : image;
    }

    private static (string Stream, string Tag) SplitTag(string value)
    {
        var colon = value.LastIndexOf(':');
        return colon > 0 && !value[colon..].Contains('/', StringComparison.Ordinal) ? (value[..colon], value[(colon + 1)..]) : (value, "latest");
    }

    private static string Sanitize(string name)
    {
        var cleaned = new string(name.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) || c == '-' ? c : '-').ToArray()).Trim('-');
        return cleaned.Length == 0 ? throw new CliException($"cannot make a name from \"{name}\": give --name") : cleaned;
    }

    private static async Task<JsonObject?> FindAsync(CommandContext context, string path, CancellationToken cancellationToken)
    {
        try
        {
            return await context.Api.GetAsync(path, cancellationToken);
        }
        catch (ApiException e) when (e.Reason == StatusReasons.NotFound)
        {
            return null;
        }
    }
}
