using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ImageStreams.Builder.Context;
using ImageStreams.Builder.Dockerfiles;
using ImageStreams.Builder.Images;
using ImageStreams.Builder.Layers;
using ImageStreams.Registry.Client;
using ImageStreams.Registry.Errors;
using ImageStreams.Registry.Manifests;
using ImageStreams.Registry.References;

namespace ImageStreams.Builder.Native;

/// <summary>
/// Builds Dockerfiles without a container engine: the base's manifest and config are pulled (never its layers), each
/// COPY or ADD becomes one reproducible layer, the other instructions change the config, and the image is pushed
/// with the base's layers mounted. A step that needs a container (RUN) fails with <see cref="BuildReasons.NativeBuildUnsupported"/>.
/// </summary>
internal sealed class NativeImageBuilder(IRegistryClient client, BuilderOptions options) : IImageBuilder
{
    public const string Name = "native";

    /// <summary>The layer cache's folder under the work directory; it outlives builds.</summary>
    public const string LayerCacheDirectory = "layer-cache";

    public async Task<BuildResult> BuildAsync(BuildRequest request, TextWriter log, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Strategy != BuildStrategyKind.Docker)
        {
            throw new BuildException(BuildReasons.NativeBuildUnsupported, "the native builder builds Dockerfiles only; source builds run the builder image's assemble script with buildah");
        }
        var dockerfile = DockerfileSource.Load(request);
        if (NativeSupport.Unsupported(dockerfile) is { } reason)
        {
            throw new BuildException(BuildReasons.NativeBuildUnsupported,
                $"the native builder cannot build this Dockerfile ({reason}); such builds need buildah: install it (apt-get install buildah) and the build runs with it");
        }
        var work = Directory.CreateDirectory(Path.Combine(options.WorkDirectory, "native-" + Guid.NewGuid().ToString("N")[..12]));
        try
        {
            return await BuildAsync(request, dockerfile, work.FullName, log, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private async Task<BuildResult> BuildAsync(BuildRequest request, Dockerfile dockerfile, string work, TextWriter log, CancellationToken cancellationToken)
    {
        var stage = dockerfile.FinalStage;
        var steps = stage.Instructions.Count + 1;
        var timestamp = Timestamp(request);
        var escape = dockerfile.Escape;
        var args = new Dictionary<string, string?>(StringComparer.Ordinal);
        var globalArgs = GlobalArgs(dockerfile, request);

        var named = request.Base ?? BaseFromDockerfile(stage, globalArgs, escape);
        var platformText = stage.From.Flag("platform") is { } flag ? Expand(flag, escape, n => globalArgs.GetValueOrDefault(n), stage.From) : null;
        var platform = ParsePlatform(request.Platform ?? platformText ?? options.DefaultPlatform, stage.From.Line);
        Log(log, $"STEP 1/{steps}: FROM {(named?.Exact() ?? "scratch")}");
        var baseImage = named is null ? null : await new BaseImageReader(client).ReadAsync(named, request.BaseAccess, platform, log, cancellationToken).ConfigureAwait(false);

        var config = new ImageConfig(baseImage?.Config, platform.Os, platform.Architecture, platform.Variant, timestamp);
        if (config.InheritedOnBuild() is { Count: > 0 } triggers)
        {
            throw new BuildException(BuildReasons.NativeBuildUnsupported,
                $"the base image has ONBUILD triggers ({string.Join("; ", triggers)}); they run with buildah");
        }
        var context = new BuildContext(request.ContextDirectory, LoadIgnore(request.ContextDirectory));
        var layers = new List<BuiltLayer>();
        var layerMediaType = baseImage?.Manifest.MediaType == MediaTypes.DockerManifest ? MediaTypes.DockerLayer : MediaTypes.OciLayer;
        var cmdSet = false;
        string? Lookup(string name) => config.Env(name) ?? args.GetValueOrDefault(name);

        for (var i = 0; i < stage.Instructions.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var instruction = stage.Instructions[i];
            Log(log, $"STEP {i + 2}/{steps}: {instruction.Text}");
            switch (instruction.Keyword)
            {
                case "ARG":
                    foreach (var (key, value) in DockerfileParser.KeyValues(instruction, escape, allowLegacy: false, requireValue: false))
                    {
                        args[key] = request.BuildArgs.TryGetValue(key, out var given) ? given
                            : value is not null ? Expand(value, escape, Lookup, instruction)
                            : globalArgs.GetValueOrDefault(key);
                    }
                    config.History(instruction.Text);
                    break;
                case "ENV":
                    foreach (var (key, value) in DockerfileParser.KeyValues(instruction, escape, allowLegacy: true, requireValue: true))
                    {
                        config.SetEnv(key, Expand(value!, escape, Lookup, instruction));
                    }
                    config.History(instruction.Text);
                    break;
                case "LABEL":
                    foreach (var (key, value) in DockerfileParser.KeyValues(instruction, escape, allowLegacy: false, requireValue: true))
                    {
                        config.SetLabel(Expand(key, escape, Lookup, instruction), Expand(value!, escape, Lookup, instruction));
                    }
                    config.History(instruction.Text);
                    break;
                case "COPY" or "ADD":
                    var layer = WriteLayer(instruction, context, config, escape, Lookup, work, layers.Count, timestamp, layerMediaType, request.NoCache, log);
                    layers.Add(layer);
                    config.AddLayer(layer.DiffId, instruction.Text);
                    Log(log, $"--> Layer {layer.Descriptor.Digest} ({layer.Descriptor.Size} bytes)");
                    break;
                case "WORKDIR":
                    var directory = Expand(instruction.Arguments, escape, Lookup, instruction);
                    config.SetWorkingDirectory("/" + ContextPaths.InImage(directory, config.WorkingDirectory));
                    config.History(instruction.Text);
                    break;
                case "USER":
                    config.SetUser(Expand(instruction.Arguments, escape, Lookup, instruction));
                    config.History(instruction.Text);
                    break;
                case "EXPOSE":
                    foreach (var port in ShellWords.Split(instruction.Arguments, escape, Lookup))
                    {
                        foreach (var exposed in Ports(port, instruction))
                        {
                            config.AddExposedPort(exposed);
                        }
                    }
                    config.History(instruction.Text);
                    break;
                case "VOLUME":
                    foreach (var volume in instruction.Json ?? ShellWords.Split(instruction.Arguments, escape, Lookup))
                    {
                        config.AddVolume(volume);
                    }
                    config.History(instruction.Text);
                    break;
                case "CMD":
                    config.SetCommand(Command(instruction, config));
                    cmdSet = true;
                    config.History(instruction.Text);
                    break;
                case "ENTRYPOINT":
                    config.SetEntrypoint(Command(instruction, config));
                    // A new entrypoint drops the base's command unless this Dockerfile set one.
                    if (!cmdSet)
                    {
                        config.SetCommand(null);
                    }
                    config.History(instruction.Text);
                    break;
                case "STOPSIGNAL":
                    config.SetStopSignal(Expand(instruction.Arguments, escape, Lookup, instruction));
                    config.History(instruction.Text);
                    break;
                case "HEALTHCHECK":
                    config.SetHealthcheck(Healthcheck(instruction));
                    config.History(instruction.Text);
                    break;
                case "SHELL":
                    config.SetShell(instruction.Json!);
                    config.History(instruction.Text);
                    break;
                case "ONBUILD":
                    config.AddOnBuild(instruction.Arguments);
                    config.History(instruction.Text);
                    break;
                case "MAINTAINER":
                    config.SetAuthor(instruction.Arguments);
                    config.History(instruction.Text);
                    break;
            }
        }
        foreach (var (key, value) in request.Environment)
        {
            config.SetEnv(key, value);
        }
        foreach (var (key, value) in request.Labels)
        {
            config.SetLabel(key, value);
        }

        var docker = baseImage?.Manifest.MediaType == MediaTypes.DockerManifest;
        var configBytes = config.ToBytes();
        var configDescriptor = new Descriptor(docker ? MediaTypes.DockerConfig : MediaTypes.OciConfig, Digest.Compute(configBytes), configBytes.Length);
        var baseLayers = baseImage?.Manifest.Layers ?? [];
        var annotations = new Dictionary<string, string>();
        if (baseImage is not null)
        {
            annotations[ManifestWriter.BaseNameAnnotation] = named!.Digest is null ? named.Exact() : named.Name + (named.Tag is null ? "" : ":" + named.Tag);
            annotations[ManifestWriter.BaseDigestAnnotation] = baseImage.Reference.Digest!.ToString();
        }
        var manifestType = docker ? MediaTypes.DockerManifest : MediaTypes.OciManifest;
        var manifest = ManifestWriter.Write(manifestType, configDescriptor, baseLayers.Concat(layers.Select(l => l.Descriptor)), annotations);

        Log(log, $"Pushing image {request.Output.Exact()}");
        PushOutcome pushed;
        try
        {
            pushed = await new ImagePusher(client, options).PushAsync(
                request.Output, request.OutputAccess, baseImage?.Reference, request.BaseAccess, baseLayers, layers,
                configBytes, configDescriptor.MediaType, manifest, manifestType, request.NoCache, log, cancellationToken).ConfigureAwait(false);
        }
        catch (RegistryException ex)
        {
            throw new BuildException(BuildReasons.PushImageToRegistryFailed, $"pushing image {request.Output.Exact()}: {ex.Message}", ex);
        }
        Log(log, $"Pushed {request.Output.Name}@{pushed.Manifest.Digest} ({pushed.BytesUploaded} bytes uploaded)");
        return new BuildResult { ImageDigest = pushed.Manifest.Digest, Base = baseImage?.Reference, Builder = Name, BytesUploaded = pushed.BytesUploaded };
    }

    private BuiltLayer WriteLayer(
        DockerfileInstruction instruction, BuildContext context, ImageConfig config, char escape, Func<string, string?> lookup,
        string work, int index, DateTimeOffset timestamp, string mediaType, bool noCache, TextWriter log)
    {
        var words = instruction.Json ?? ShellWords.Split(instruction.Arguments, escape, lookup);
        if (instruction.Json is not null)
        {
            words = words.Select(w => Expand(w, escape, lookup, instruction)).ToList();
        }
        if (words.Count < 2)
        {
            throw Failed(instruction, "needs a source and a destination");
        }
        var uid = 0;
        var gid = 0;
        if (instruction.Flag("chown") is { } chown)
        {
            var expanded = Expand(chown, escape, lookup, instruction);
            (uid, gid) = NativeSupport.ParseOwner(expanded) ?? throw new BuildException(BuildReasons.NativeBuildUnsupported,
                $"Dockerfile line {instruction.Line}: --chown={expanded} names a user or group; only numeric ids need no /etc/passwd of the base, so this build needs buildah");
        }
        UnixFileMode? mode = null;
        if (instruction.Flag("chmod") is { } chmod)
        {
            var expanded = Expand(chmod, escape, lookup, instruction);
            if (expanded.Length is 0 or > 4 || !expanded.All(c => c is >= '0' and <= '7'))
            {
                throw Failed(instruction, $"--chmod={expanded} is not an octal mode like 0644");
            }
            mode = (UnixFileMode)Convert.ToInt32(expanded, 8);
        }
        var copyOptions = new CopyOptions(uid, gid, mode, ExtractArchives: instruction.Keyword == "ADD");
        IReadOnlyList<LayerEntry> entries;
        try
        {
            entries = context.Resolve(words.Take(words.Count - 1).ToList(), words[^1], config.WorkingDirectory, copyOptions, $"Dockerfile line {instruction.Line}: {instruction.Keyword}");
        }
        catch (IOException ex)
        {
            throw Failed(instruction, ex.Message);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw Failed(instruction, ex.Message);
        }
        var path = Path.Combine(work, $"layer-{index}.tar.gz");
        var cache = new LayerCache(Path.Combine(options.WorkDirectory, LayerCacheDirectory));
        var key = LayerCache.Key(entries, timestamp, options.LayerCompression);
        if (!noCache && cache.Find(key) is { } cached)
        {
            Log(log, $"--> Using cached layer {cached.Digest}: the files did not change");
            return new BuiltLayer(new Descriptor(mediaType, cached.Digest, cached.Size), cached.DiffId, () =>
            {
                var written = LayerWriter.Write(entries, path, timestamp, options.LayerCompression);
                if (written.Digest != cached.Digest)
                {
                    cache.Forget(key);
                    throw new BuildException(BuildReasons.GenericBuildFailed,
                        $"Dockerfile line {instruction.Line}: the layer cache named {cached.Digest} but the layer is {written.Digest} now; it was dropped, build again");
                }
                return written.Path;
            });
        }
        var file = LayerWriter.Write(entries, path, timestamp, options.LayerCompression);
        cache.Store(key, file);
        return new BuiltLayer(new Descriptor(mediaType, file.Digest, file.Size), file.DiffId, () => file.Path);
    }

    private static IReadOnlyList<string> Command(DockerfileInstruction instruction, ImageConfig config) =>
        instruction.Json ?? [.. config.Shell, instruction.Arguments];

    private static JsonObject Healthcheck(DockerfileInstruction instruction)
    {
        var args = instruction.Arguments.Trim();
        if (args.Equals("NONE", StringComparison.OrdinalIgnoreCase))
        {
            return new JsonObject { ["Test"] = new JsonArray("NONE") };
        }
        var command = args[3..].Trim();
        var test = instruction.Json is { } json ? new JsonArray([JsonValue.Create("CMD"), .. json.Select(j => (JsonNode)JsonValue.Create(j))]) : new JsonArray("CMD-SHELL", command);
        var check = new JsonObject { ["Test"] = test };
        foreach (var (flag, value) in instruction.Flags)
        {
            var key = flag switch
            {
                "interval" => "Interval",
                "timeout" => "Timeout",
                "start-period" => "StartPeriod",
                "start-interval" => "StartInterval",
                _ => "Retries",
            };
            if (key == "Retries")
            {
                check[key] = int.Parse(value!, CultureInfo.InvariantCulture);
            }
            else
            {
                // The parser checked the duration already.
                check[key] = DockerfileParser.TryParseDuration(value!, out var duration) ? duration.Ticks * 100 : 0;
            }
        }
        return check;
    }

    private static IEnumerable<string> Ports(string value, DockerfileInstruction instruction)
    {
        var slash = value.IndexOf('/', StringComparison.Ordinal);
        var protocol = slash < 0 ? "tcp" : value[(slash + 1)..].ToLowerInvariant();
        var range = slash < 0 ? value : value[..slash];
        var dash = range.IndexOf('-', StringComparison.Ordinal);
        var ok = protocol is "tcp" or "udp" or "sctp";
        int first = 0, last = 0;
        ok = ok && (dash < 0
            ? int.TryParse(range, NumberStyles.None, CultureInfo.InvariantCulture, out first) && (last = first) >= 0
            : int.TryParse(range[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out first)
              && int.TryParse(range[(dash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out last));
        if (!ok || first is < 1 or > 65535 || last < first || last > 65535)
        {
            throw Failed(instruction, $"invalid port \"{value}\": expected PORT[/tcp|udp|sctp] or FIRST-LAST[/protocol]");
        }
        return Enumerable.Range(first, last - first + 1).Select(p => $"{p}/{protocol}");
    }

    private static ImageReference? BaseFromDockerfile(DockerfileStage stage, Dictionary<string, string?> globalArgs, char escape)
    {
        var name = Expand(stage.BaseImage, escape, n => globalArgs.GetValueOrDefault(n), stage.From);
        if (name == "scratch")
        {
            return null;
        }
        return ImageReference.TryParse(name, out var reference, out var error)
            ? reference
            : throw Failed(stage.From, $"FROM {name}: {error}");
    }

    private static Dictionary<string, string?> GlobalArgs(Dockerfile dockerfile, BuildRequest request)
    {
        var args = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var instruction in dockerfile.GlobalArgs)
        {
            foreach (var (key, value) in DockerfileParser.KeyValues(instruction, dockerfile.Escape, allowLegacy: false, requireValue: false))
            {
                args[key] = request.BuildArgs.TryGetValue(key, out var given) ? given
                    : value is null ? null : Expand(value, dockerfile.Escape, n => args.GetValueOrDefault(n), instruction);
            }
        }
        return args;
    }

    private DateTimeOffset Timestamp(BuildRequest request)
    {
        var epoch = options.SourceDateEpoch;
        if (request.BuildArgs.TryGetValue("SOURCE_DATE_EPOCH", out var given)
            && !long.TryParse(given, NumberStyles.None, CultureInfo.InvariantCulture, out epoch))
        {
            throw new BuildException(BuildReasons.DockerBuildFailed, $"the build argument SOURCE_DATE_EPOCH must be Unix seconds, not \"{given}\"");
        }
        return DateTimeOffset.FromUnixTimeSeconds(epoch);
    }

    private static Platform ParsePlatform(string value, int line)
    {
        try
        {
            return Platform.Parse(value);
        }
        catch (FormatException ex)
        {
            throw new BuildException(BuildReasons.DockerBuildFailed, $"Dockerfile line {line}: {ex.Message}", ex);
        }
    }

    private static DockerIgnore LoadIgnore(string contextDirectory)
    {
        try
        {
            return DockerIgnore.Load(contextDirectory);
        }
        catch (FormatException ex)
        {
            throw new BuildException(BuildReasons.DockerBuildFailed, $".dockerignore: {ex.Message}", ex);
        }
    }

    private static string Expand(string text, char escape, Func<string, string?> lookup, DockerfileInstruction instruction)
    {
        try
        {
            return ShellWords.Word(text, escape, lookup);
        }
        catch (FormatException ex)
        {
            throw Failed(instruction, ex.Message);
        }
    }

    private static BuildException Failed(DockerfileInstruction instruction, string detail) =>
        new(BuildReasons.DockerBuildFailed, $"Dockerfile line {instruction.Line}: {instruction.Keyword} {detail}");

    private static void Log(TextWriter log, string line)
    {
        lock (log)
        {
            log.WriteLine(line);
        }
    }
}
