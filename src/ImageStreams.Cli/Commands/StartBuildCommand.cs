using System.CommandLine;
using System.Text.Json.Nodes;
using ImageStreams.Cli.Builds;
using ImageStreams.Cli.Printers;
using ImageStreams.Model.Build;
using ImageStreams.Model.Meta;
using BuildModel = ImageStreams.Model.Build.Build;

namespace ImageStreams.Cli.Commands;

/// <summary><c>isctl start-build NAME</c>: starts a build of a BuildConfig, optionally with binary input, and follows or waits for it.</summary>
internal static class StartBuildCommand
{
    /// <summary>How long an upload of binary input may take.</summary>
    private static readonly TimeSpan UploadTimeout = TimeSpan.FromMinutes(30);

    public static Command Create(CliHost host)
    {
        var name = new Argument<string>("name") { Description = "The BuildConfig to start (NAME or bc/NAME)" };
        var follow = new Option<bool>("--follow", "-F") { Description = "Print the build's log until it ends; exit non-zero if it fails" };
        var wait = new Option<bool>("--wait", "-w") { Description = "Wait for the build to end; exit non-zero if it fails" };
        var fromDir = new Option<string?>("--from-dir") { Description = "Upload this directory as the build's sources (binary build)" };
        var fromFile = new Option<string?>("--from-file") { Description = "Upload this one file as the build's sources (binary build)" };
        var fromArchive = new Option<string?>("--from-archive") { Description = "Upload this tar archive (optionally gzip-compressed) as the build's sources" };
        var env = new Option<string[]>("--env", "-e") { Description = "Set a build environment variable, NAME=VALUE (repeatable)", AllowMultipleArgumentsPerToken = false };
        var buildArg = new Option<string[]>("--build-arg") { Description = "Set a Dockerfile ARG, NAME=VALUE (repeatable)" };
        var command = new DocumentedCommand("start-build", "Start a new build of a BuildConfig.", """
            The build is NAME-N, N being the BuildConfig's next number. A BuildConfig with a binary source takes its sources
            from --from-dir (sent as a tar archive), --from-file (one file) or --from-archive.

            Examples:
              # Start a build and print its log as it runs
              isctl start-build httpd-base --follow

              # Build the sources of the current directory and wait for the result
              isctl start-build app --from-dir=. --wait
            """)
        {
            name, follow, wait, fromDir, fromFile, fromArchive, env, buildArg,
        };
        command.SetContextAction(host, (context, parse, cancellationToken) => RunAsync(context, new Request(
            parse.GetValue(name)!, parse.GetValue(follow), parse.GetValue(wait), parse.GetValue(fromDir), parse.GetValue(fromFile),
            parse.GetValue(fromArchive), parse.GetValue(env) ?? [], parse.GetValue(buildArg) ?? []), cancellationToken));
        return command;
    }

    private sealed record Request(
        string Name, bool Follow, bool Wait, string? FromDir, string? FromFile, string? FromArchive, IReadOnlyList<string> Env, IReadOnlyList<string> BuildArgs);

    private static async Task<int> RunAsync(CommandContext context, Request request, CancellationToken cancellationToken)
    {
        var name = request.Name.StartsWith("bc/", StringComparison.Ordinal) || request.Name.StartsWith("buildconfig/", StringComparison.Ordinal)
            ? request.Name[(request.Name.IndexOf('/', StringComparison.Ordinal) + 1)..]
            : request.Name;
        var sources = new[] { request.FromDir, request.FromFile, request.FromArchive }.Count(s => s is not null);
        if (sources > 1)
        {
            throw new CliException("only one of --from-dir, --from-file and --from-archive may be given");
        }
        var ns = context.Namespace;
        JsonObject created;
        if (sources == 1)
        {
            if (request.Env.Count > 0 || request.BuildArgs.Count > 0)
            {
                throw new CliException("--env and --build-arg cannot be combined with binary input");
            }
            await using var input = await OpenInputAsync(request, cancellationToken);
            var asFile = request.FromFile is null ? null : Path.GetFileName(request.FromFile);
            var kind = request.FromDir is not null ? "the directory" : request.FromFile is not null ? "the file" : "the archive";
            context.Out.WriteLine($"Uploading {kind} \"{request.FromDir ?? request.FromFile ?? request.FromArchive}\" as binary input for the build ...");
            created = await context.Api.PostContentAsync(BuildPaths.InstantiateBinary(ns, name, asFile), input, "application/octet-stream",
                UploadTimeout, cancellationToken);
        }
        else
        {
            var body = new JsonObject
            {
                ["apiVersion"] = BuildApi.GroupVersion,
                ["kind"] = BuildRequest.KindName,
                ["metadata"] = new JsonObject { ["name"] = name },
            };
            if (request.Env.Count > 0)
            {
                body["env"] = EnvArray(request.Env, "--env");
            }
            if (request.BuildArgs.Count > 0)
            {
                body["dockerStrategyOptions"] = new JsonObject { ["buildArgs"] = EnvArray(request.BuildArgs, "--build-arg") };
            }
            created = await context.Api.CreateAsync(BuildPaths.Instantiate(ns, name), body, cancellationToken);
        }
        var build = ObjectPrinter.As<BuildModel>(created);
        var buildName = build.Metadata.Name!;
        context.Out.WriteLine($"{ObjectPrinter.QualifiedName(ResourceTypes.Builds, buildName)} started");
        if (request.Follow)
        {
            await context.Api.CopyTextAsync(BuildPaths.Log(ResourceTypes.Builds, ns, buildName, follow: true), context.Out, cancellationToken);
        }
        if (request.Follow || request.Wait)
        {
            return BuildWaiter.Report(context, await BuildWaiter.WaitAsync(context, ns, buildName, cancellationToken));
        }
        return 0;
    }

    private static async Task<Stream> OpenInputAsync(Request request, CancellationToken cancellationToken)
    {
        if (request.FromDir is not null)
        {
            return await DirectoryArchive.CreateAsync(request.FromDir, cancellationToken);
        }
        var path = request.FromFile ?? request.FromArchive!;
        var flag = request.FromFile is not null ? "--from-file" : "--from-archive";
        return File.Exists(path) ? File.OpenRead(path) : throw new CliException($"{flag}: no file \"{path}\"");
    }

    private static JsonArray EnvArray(IEnumerable<string> pairs, string flag) => new(pairs.Select(pair =>
    {
        var equals = pair.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0)
        {
            throw new CliException($"{flag} must be NAME=VALUE (got \"{pair}\")");
        }
        return (JsonNode)new JsonObject { ["name"] = pair[..equals], ["value"] = pair[(equals + 1)..] };
    }).ToArray());
}
