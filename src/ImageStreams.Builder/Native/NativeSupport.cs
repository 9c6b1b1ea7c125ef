using ImageStreams.Builder.Dockerfiles;

namespace ImageStreams.Builder.Native;

/// <summary>Decides whether the native builder can build a Dockerfile: the final stage, made of steps that need no container.</summary>
public static class NativeSupport
{
    /// <summary>Why the native builder cannot build the Dockerfile (with the line), or null when it can.</summary>
    public static string? Unsupported(Dockerfile dockerfile)
    {
        ArgumentNullException.ThrowIfNull(dockerfile);
        var stage = dockerfile.FinalStage;
        if (dockerfile.Stages.Any(s => s.Name is not null && s.Name == stage.BaseImage.ToLowerInvariant()) && stage.Index > 0)
        {
            return $"line {stage.From.Line}: FROM {stage.BaseImage} starts from an earlier stage";
        }
        foreach (var instruction in stage.Instructions)
        {
            switch (instruction.Keyword)
            {
                case "RUN":
                    return $"line {instruction.Line}: RUN executes a command in a container";
                case "COPY" when instruction.HasFlag("from"):
                    return $"line {instruction.Line}: COPY --from reads another stage or image";
                case "COPY" or "ADD" when instruction.Flags.Any(f => f.Key is "parents" or "exclude" or "checksum" or "keep-git-dir"):
                    return $"line {instruction.Line}: {instruction.Keyword} --{instruction.Flags.First(f => f.Key is "parents" or "exclude" or "checksum" or "keep-git-dir").Key}";
                case "COPY" or "ADD" when instruction.Flag("chown") is { } chown && !IsNumericOwner(chown):
                    return $"line {instruction.Line}: {instruction.Keyword} --chown={chown} names a user or group (only numeric ids or root need no /etc/passwd)";
                case "ADD" when instruction.Arguments.Contains("://", StringComparison.Ordinal):
                    return $"line {instruction.Line}: ADD of a URL downloads it";
            }
        }
        return null;
    }

    /// <summary>Parses <c>uid[:gid]</c> (numeric, or root); null when a name needs the image's /etc/passwd.</summary>
    public static (int Uid, int Gid)? ParseOwner(string value)
    {
        var parts = value.Split(':', 2);
        int? Id(string part) => part == "root" ? 0 : int.TryParse(part, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id) ? id : null;
        var uid = Id(parts[0]);
        var gid = parts.Length == 2 ? Id(parts[1]) : uid;
        return uid is null || gid is null ? null : (uid.Value, gid.Value);
    }

    // Variables are substituted at build time; a value with one is checked then.
    private static bool IsNumericOwner(string value) => value.Contains('$', StringComparison.Ordinal) || ParseOwner(value) is not null;
}
