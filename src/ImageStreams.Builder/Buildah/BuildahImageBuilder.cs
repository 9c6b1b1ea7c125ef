using System.Text;
using System.Text.Json;
using ImageStreams.Builder.Dockerfiles;
using ImageStreams.Builder.Images;
using ImageStreams.Builder.Processes;
using ImageStreams.Registry.Client;
using ImageStreams.Registry.Manifests;
using ImageStreams.Registry.References;

namespace ImageStreams.Builder.Buildah;

/// <summary>
/// Builds with buildah as a child process (chroot isolation, vfs storage, a private root per build, removed after):
/// Dockerfiles with RUN steps, and source-to-image builds through a generated Dockerfile that runs the builder image's
/// <c>assemble</c> script over the sources and makes its <c>run</c> script the command. The base is always given by digest.
/// </summary>
internal sealed class BuildahImageBuilder(IRegistryClient client, BuilderOptions options) : IImageBuilder
{
    public const string Name = "buildah";

    /// <summary>The label of a builder image that says where its source-to-image scripts are.</summary>
    public const string ScriptsUrlLabel = "io.openshift.s2i.scripts-url";

    /// <summary>Where the scripts are when the builder image does not say.</summary>
    public const string DefaultScriptsDirectory = "/usr/libexec/s2i";

    /// <summary>Where the sources are copied in a source build, as source-to-image does.</summary>
    public const string SourceDirectory = "/tmp/src";

    public async Task<BuildResult> BuildAsync(BuildRequest request, TextWriter log, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (ChildProcess.Resolve(options.BuildahPath) is null)
        {
            throw new BuildException(BuildReasons.BuildahNotInstalled,
                $"buildah is not installed (no \"{options.BuildahPath}\" on PATH); builds with RUN steps and source builds need it: apt-get install buildah");
        }
        var work = Directory.CreateDirectory(Path.Combine(options.WorkDirectory, "buildah-" + Guid.NewGuid().ToString("N")[..12])).FullName;
        try
        {
            var dockerfile = request.Strategy == BuildStrategyKind.Source
                ? await SourceDockerfileAsync(request, log, cancellationToken).ConfigureAwait(false)
                : DockerStrategyDockerfile(request);
            var dockerfilePath = Path.Combine(work, "Dockerfile");
            await File.WriteAllTextAsync(dockerfilePath, dockerfile, cancellationToken).ConfigureAwait(false);
            var image = "localhost/imagestreams-build:" + Path.GetFileName(work);
            var digestFile = Path.Combine(work, "digest");

            var build = new List<string>(Global(work))
            {
                "bud", "--isolation", "chroot", "--layers=false", "--pull-always",
                $"--tls-verify={TlsVerify(PullHost(request), request.BaseAccess)}",
                "-f", dockerfilePath, "-t", image,
            };
            if (await AuthFileAsync(work, "pull-auth.json", request.Base, request.BaseAccess, cancellationToken).ConfigureAwait(false) is { } pullAuth)
            {
                build.AddRange(["--authfile", pullAuth]);
            }
            foreach (var (key, value) in request.BuildArgs.OrderBy(a => a.Key, StringComparer.Ordinal))
            {
                build.AddRange(["--build-arg", $"{key}={value}"]);
            }
            if (request.NoCache)
            {
                build.Add("--no-cache");
            }
            if (request.Platform is { } platform)
            {
                build.AddRange(["--platform", platform]);
            }
            build.Add(request.ContextDirectory);
            await RunAsync(build, work, log, BuildReasons.DockerBuildFailed, "buildah bud", cancellationToken).ConfigureAwait(false);

            var push = new List<string>(Global(work))
            {
                "push", $"--tls-verify={TlsVerify(request.Output.RegistryHost, request.OutputAccess)}", "--digestfile", digestFile,
            };
            if (await AuthFileAsync(work, "push-auth.json", request.Output, request.OutputAccess, cancellationToken).ConfigureAwait(false) is { } pushAuth)
            {
                push.AddRange(["--authfile", pushAuth]);
            }
            push.AddRange([image, "docker://" + request.Output.Exact()]);
            await RunAsync(push, work, log, BuildReasons.PushImageToRegistryFailed, "buildah push", cancellationToken).ConfigureAwait(false);

            var digest = Digest.Parse((await File.ReadAllTextAsync(digestFile, cancellationToken).ConfigureAwait(false)).Trim());
            Log(log, $"Pushed {request.Output.Name}@{digest}");
            return new BuildResult { ImageDigest = digest, Base = request.Base, Builder = Name };
        }
        finally
        {
            DeleteWorkDirectory(work);
        }
    }

    /// <summary>The Dockerfile with the strategy's base in the final FROM, and the strategy's env and labels appended.</summary>
    private static string DockerStrategyDockerfile(BuildRequest request)
    {
        var text = DockerfileSource.Text(request);
        var dockerfile = DockerfileSource.Parse(text);
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').ToList();
        if (request.Base is { } baseImage)
        {
            var stage = dockerfile.FinalStage;
            var first = stage.From.Line - 1;
            var last = first;
            while (last < lines.Count - 1 && lines[last].TrimEnd().EndsWith(dockerfile.Escape))
            {
                last++;
            }
            lines.RemoveRange(first, last - first + 1);
            lines.Insert(first, $"FROM {baseImage.Exact()}" + (stage.Name is null ? "" : $" AS {stage.Name}"));
        }
        var result = new StringBuilder(string.Join('\n', lines)).Append('\n');
        AppendEnvironmentAndLabels(result, request, dockerfile.Escape);
        return result.ToString();
    }

    /// <summary>Source-to-image as a Dockerfile: sources to /tmp/src, assemble run as the builder's user, run as the command.</summary>
    private async Task<string> SourceDockerfileAsync(BuildRequest request, TextWriter log, CancellationToken cancellationToken)
    {
        var builder = request.Base ?? throw new BuildException(BuildReasons.BuilderImageInvalid, "a source build needs a builder image (sourceStrategy.from)");
        var platform = Platform.Parse(request.Platform ?? options.DefaultPlatform);
        var image = await new BaseImageReader(client).ReadAsync(builder, request.BaseAccess, platform, log, cancellationToken).ConfigureAwait(false);
        var scripts = ScriptsDirectory(image.Label(ScriptsUrlLabel), builder);
        var user = image.User.Length == 0 ? "0" : image.User;
        var owner = user.Split(':')[0];
        var text = new StringBuilder()
            .Append("FROM ").Append(builder.Exact()).Append('\n')
            .Append("USER root\n")
            .Append("COPY --chown=").Append(owner).Append(":0 . ").Append(SourceDirectory).Append('\n')
            .Append("USER ").Append(user).Append('\n');
        foreach (var (key, value) in request.Environment)
        {
            text.Append("ENV ").Append(key).Append('=').Append(Quote(value, '\\')).Append('\n');
        }
        text.Append("RUN [\"").Append(scripts).Append("/assemble\"]\n")
            .Append("CMD [\"").Append(scripts).Append("/run\"]\n");
        foreach (var (key, value) in request.Labels)
        {
            text.Append("LABEL ").Append(Quote(key, '\\')).Append('=').Append(Quote(value, '\\')).Append('\n');
        }
        return text.ToString();
    }

    private static string ScriptsDirectory(string? scriptsUrl, ImageReference builder)
    {
        if (string.IsNullOrWhiteSpace(scriptsUrl))
        {
            return DefaultScriptsDirectory;
        }
        const string imageScheme = "image://";
        if (!scriptsUrl.StartsWith(imageScheme, StringComparison.Ordinal) || scriptsUrl.Length <= imageScheme.Length
            || scriptsUrl.IndexOfAny(['"', '\\', '\n']) >= 0)
        {
            throw new BuildException(BuildReasons.BuilderImageInvalid,
                $"the builder image {builder.Exact()} has {ScriptsUrlLabel}={scriptsUrl}; only scripts inside the image (image:///path) are supported");
        }
        return scriptsUrl[imageScheme.Length..].TrimEnd('/');
    }

    private static void AppendEnvironmentAndLabels(StringBuilder text, BuildRequest request, char escape)
    {
        foreach (var (key, value) in request.Environment)
        {
            text.Append("ENV ").Append(key).Append('=').Append(Quote(value, escape)).Append('\n');
        }
        foreach (var (key, value) in request.Labels)
        {
            text.Append("LABEL ").Append(Quote(key, escape)).Append('=').Append(Quote(value, escape)).Append('\n');
        }
    }

    // A double-quoted Dockerfile word that stands for exactly the value: no substitution, no line break.
    private static string Quote(string value, char escape)
    {
        var quoted = new StringBuilder("\"");
        foreach (var c in value)
        {
            if (c is '"' or '$' || c == escape)
            {
                quoted.Append(escape);
            }
            quoted.Append(c is '\n' or '\r' ? ' ' : c);
        }
        return quoted.Append('"').ToString();
    }

    // Plain HTTP and unverified TLS only for an insecure registry or one on loopback, as the registry client does.
    private static string TlsVerify(string? registryHost, RegistryAccess access) =>
        access.Insecure || (registryHost is not null && ImageReference.IsLoopback(registryHost)) ? "false" : "true";

    // The registry pulled from: the strategy's base, else the final FROM when it is a plain reference.
    private static string? PullHost(BuildRequest request)
    {
        if (request.Base is { } baseImage)
        {
            return baseImage.RegistryHost;
        }
        if (request.Strategy != BuildStrategyKind.Docker)
        {
            return null;
        }
        return ImageReference.TryParse(DockerfileSource.Load(request).FinalStage.BaseImage, out var from) ? from.RegistryHost : null;
    }

    private IEnumerable<string> Global(string work) =>
        ["--root", Path.Combine(work, "root"), "--runroot", Path.Combine(work, "runroot"), "--storage-driver", "vfs"];

    // Credentials go in a private auth file, never on the command line where other users could read them.
    private static async Task<string?> AuthFileAsync(string work, string name, ImageReference? reference, RegistryAccess access, CancellationToken cancellationToken)
    {
        if (reference is null || access.Credentials?.Resolve(reference.Registry, reference.Repository) is not { } credential)
        {
            return null;
        }
        var path = Path.Combine(work, name);
        var auth = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credential.Username}:{credential.Password}"));
        var json = JsonSerializer.Serialize(new Dictionary<string, Dictionary<string, Dictionary<string, string>>>
        {
            ["auths"] = new() { [reference.Registry] = new() { ["auth"] = auth } },
        });
        var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        await using (var file = new FileStream(path, create))
        {
            await file.WriteAsync(Encoding.UTF8.GetBytes(json), cancellationToken).ConfigureAwait(false);
        }
        return path;
    }

    private async Task RunAsync(List<string> arguments, string work, TextWriter log, string reason, string what, CancellationToken cancellationToken)
    {
        var environment = new Dictionary<string, string>
        {
            ["TMPDIR"] = Directory.CreateDirectory(Path.Combine(work, "tmp")).FullName,
            ["BUILDAH_ISOLATION"] = "chroot",
            ["STORAGE_DRIVER"] = "vfs",
        };
        ChildProcessResult result;
        try
        {
            result = await ChildProcess.RunAsync(options.BuildahPath, arguments, work, environment, line => Log(log, line), options.ProcessTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException ex)
        {
            throw new BuildException(reason, $"{what} did not finish within {options.ProcessTimeout}", ex);
        }
        if (result.ExitCode != 0)
        {
            throw new BuildException(reason, $"{what} failed (exit code {result.ExitCode}): {result.Tail}");
        }
    }

    private static void DeleteWorkDirectory(string work)
    {
        try
        {
            Directory.Delete(work, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by an exiting process; the work directory is under the builder's own temp folder.
        }
        catch (UnauthorizedAccessException)
        {
            // As above.
        }
    }

    private static void Log(TextWriter log, string line)
    {
        lock (log)
        {
            log.WriteLine(line);
        }
    }
}
