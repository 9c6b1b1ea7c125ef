namespace ImageStreams.Controllers.Builds;

/// <summary>How the server runs builds.</summary>
public sealed record BuildOptions
{
    /// <summary>Builds running at once over all BuildConfigs; more wait as Pending. Default 2.</summary>
    public int MaxConcurrentBuilds { get; init; } = 2;

    /// <summary>Where each build keeps its log, its uploaded input and its private work directory. Default <c>.data/builds</c>.</summary>
    public string Directory { get; init; } = Path.Combine(".data", "builds");

    /// <summary>Build events synced at once (deciding what starts, pruning); the builds themselves run apart. Default 2.</summary>
    public int Workers { get; init; } = 2;

    /// <summary>Checks the values; throws <see cref="ArgumentException"/> with a message for the user.</summary>
    public void Validate()
    {
        if (MaxConcurrentBuilds < 1)
        {
            throw new ArgumentException("--max-concurrent-builds must be at least 1");
        }
        if (string.IsNullOrWhiteSpace(Directory))
        {
            throw new ArgumentException("the builds directory must be named");
        }
        if (Workers < 1)
        {
            throw new ArgumentException("build workers must be at least 1");
        }
    }
}
