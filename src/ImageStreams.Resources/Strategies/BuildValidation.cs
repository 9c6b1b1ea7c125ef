using ImageStreams.Model.Build;
using ImageStreams.Model.Image;
using ImageStreams.Model.Meta;
using ImageStreams.Model.Validation;

namespace ImageStreams.Resources.Strategies;

/// <summary>The rules BuildConfigs and Builds share: sources, strategy, output; with the field paths OpenShift reports.</summary>
internal static class BuildValidation
{
    public static void Source(BuildSource? source, List<FieldError> errors, string path = "spec.source")
    {
        if (source is null || (source.Git is null && source.Binary is null && string.IsNullOrEmpty(source.Dockerfile)))
        {
            errors.Add(FieldError.Invalid(path, null, "must provide a value for at least one source input (git, binary, dockerfile)"));
            return;
        }
        if (source.Git is not null && source.Binary is not null)
        {
            errors.Add(FieldError.Invalid($"{path}.binary", "", "may not be combined with git"));
        }
        if (source.Git is { } git)
        {
            if (string.IsNullOrWhiteSpace(git.Uri))
            {
                errors.Add(FieldError.MissingValue($"{path}.git.uri"));
            }
            else if (git.Uri.Contains("://", StringComparison.Ordinal) && !Uri.TryCreate(git.Uri, UriKind.Absolute, out _))
            {
                errors.Add(FieldError.Invalid($"{path}.git.uri", git.Uri, "must be a git URL or a path"));
            }
        }
        if (source.Binary?.AsFile is { Length: > 0 } asFile && (asFile.Contains('/', StringComparison.Ordinal) || asFile is "." or ".."))
        {
            errors.Add(FieldError.Invalid($"{path}.binary.asFile", asFile, "must be a file name, without a directory"));
        }
        RelativePath(source.ContextDir, $"{path}.contextDir", errors);
    }

    public static void Strategy(BuildStrategy? strategy, List<FieldError> errors, string path = "spec.strategy")
    {
        var docker = strategy?.DockerStrategy;
        var source = strategy?.SourceStrategy;
        if (docker is null && source is null)
        {
            errors.Add(FieldError.Invalid(path, null, "must provide a value for exactly one of sourceStrategy or dockerStrategy"));
            return;
        }
        if (docker is not null && source is not null)
        {
            errors.Add(FieldError.Invalid(path, null, "must provide a value for exactly one of sourceStrategy or dockerStrategy"));
        }
        if (docker is not null)
        {
            if (docker.From is not null)
            {
                From(docker.From, $"{path}.dockerStrategy.from", errors);
            }
            RelativePath(docker.DockerfilePath, $"{path}.dockerStrategy.dockerfilePath", errors);
            Env(docker.Env, $"{path}.dockerStrategy.env", errors);
            Env(docker.BuildArgs, $"{path}.dockerStrategy.buildArgs", errors);
        }
        if (source is not null)
        {
            if (source.From is null)
            {
                errors.Add(FieldError.MissingValue($"{path}.sourceStrategy.from"));
            }
            else
            {
                From(source.From, $"{path}.sourceStrategy.from", errors);
            }
            Env(source.Env, $"{path}.sourceStrategy.env", errors);
        }
    }

    public static void Output(BuildOutput? output, List<FieldError> errors, string path = "spec.output")
    {
        if (output?.To is not { } to)
        {
            return;
        }
        switch (to.Kind)
        {
            case SourceKinds.ImageStreamTag:
                if (!IsStreamTag(to.Name))
                {
                    errors.Add(FieldError.Invalid($"{path}.to.name", to.Name, "ImageStreamTag object references must be in the form <name>:<tag>"));
                }
                break;
            case SourceKinds.DockerImage:
                if (string.IsNullOrWhiteSpace(to.Name) || to.Name.Contains(' ', StringComparison.Ordinal))
                {
                    errors.Add(FieldError.Invalid($"{path}.to.name", to.Name, "must be a container image pull spec, such as registry.example.com/ns/app:latest"));
                }
                break;
            default:
                errors.Add(new FieldError($"{path}.to.kind", FieldError.NotSupported, "\"ImageStreamTag\", \"DockerImage\"", to.Kind));
                break;
        }
        if (output.PushSecret is { } secret && string.IsNullOrEmpty(secret.Name))
        {
            errors.Add(FieldError.MissingValue($"{path}.pushSecret.name"));
        }
    }

    /// <summary>A strategy's from: an ImageStreamTag (<c>stream:tag</c>), an ImageStreamImage (<c>stream@digest</c>) or a DockerImage.</summary>
    public static void From(ObjectReference from, string path, List<FieldError> errors)
    {
        if (string.IsNullOrWhiteSpace(from.Name))
        {
            errors.Add(FieldError.MissingValue($"{path}.name"));
            return;
        }
        switch (from.Kind)
        {
            case SourceKinds.ImageStreamTag:
                if (!IsStreamTag(from.Name))
                {
                    errors.Add(FieldError.Invalid($"{path}.name", from.Name, "ImageStreamTag object references must be in the form <name>:<tag>"));
                }
                break;
            case SourceKinds.ImageStreamImage:
                if (!from.Name.Contains('@', StringComparison.Ordinal))
                {
                    errors.Add(FieldError.Invalid($"{path}.name", from.Name, "ImageStreamImage object references must be in the form <name>@<digest>"));
                }
                break;
            case SourceKinds.DockerImage:
                if (from.Name.Contains(' ', StringComparison.Ordinal))
                {
                    errors.Add(FieldError.Invalid($"{path}.name", from.Name, "must be a container image pull spec"));
                }
                break;
            default:
                errors.Add(new FieldError($"{path}.kind", FieldError.NotSupported,
                    "\"ImageStreamTag\", \"ImageStreamImage\", \"DockerImage\"", from.Kind));
                break;
        }
    }

    public static bool IsStreamTag(string? name)
    {
        var parts = name?.Split(':') ?? [];
        return parts.Length == 2 && Names.IsDns1123Subdomain(parts[0]) && Names.IsTag(parts[1]);
    }

    private static void Env(IReadOnlyList<EnvVar>? env, string path, List<FieldError> errors)
    {
        for (var i = 0; i < (env?.Count ?? 0); i++)
        {
            if (string.IsNullOrWhiteSpace(env![i]?.Name))
            {
                errors.Add(FieldError.MissingValue($"{path}[{i}].name"));
            }
        }
    }

    private static void RelativePath(string? value, string path, List<FieldError> errors)
    {
        if (string.IsNullOrEmpty(value))
        {
            return;
        }
        if (value.StartsWith('/') || value.Replace('\\', '/').Split('/').Contains(".."))
        {
            errors.Add(FieldError.Invalid(path, value, "must be a relative path within the sources, without '..'"));
        }
    }
}
