namespace ImageStreams.Builder.Dockerfiles;

/// <summary>Reads and parses the Dockerfile of a request: the inline one, else the file in the context.</summary>
internal static class DockerfileSource
{
    /// <exception cref="BuildException">The Dockerfile is missing, outside the context or invalid.</exception>
    public static Dockerfile Load(BuildRequest request) => Parse(Text(request));

    public static string Text(BuildRequest request)
    {
        if (request.Dockerfile is { } inline)
        {
            return inline;
        }
        var context = Path.GetFullPath(request.ContextDirectory);
        var path = Path.GetFullPath(Path.Combine(context, request.DockerfilePath));
        if (!path.StartsWith(context.TrimEnd('/') + "/", StringComparison.Ordinal))
        {
            throw new BuildException(BuildReasons.DockerBuildFailed, $"the Dockerfile path \"{request.DockerfilePath}\" is outside the build context");
        }
        return File.Exists(path)
            ? File.ReadAllText(path)
            : throw new BuildException(BuildReasons.DockerBuildFailed, $"no Dockerfile at \"{request.DockerfilePath}\" in the build context");
    }

    public static Dockerfile Parse(string text)
    {
        try
        {
            return DockerfileParser.Parse(text);
        }
        catch (DockerfileParseException ex)
        {
            throw new BuildException(BuildReasons.DockerBuildFailed, ex.Message, ex);
        }
    }
}
