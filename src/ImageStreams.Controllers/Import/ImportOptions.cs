namespace ImageStreams.Controllers.Import;

/// <summary>Limits of imports. Validated at start-up.</summary>
public sealed class ImportOptions
{
    /// <summary>How many tags a repository import (<c>--all</c>) imports; the rest are reported as additional tags. -1: no limit.</summary>
    public int MaxRepositoryTags { get; set; } = 50;

    /// <summary>How many images one import request fetches at once.</summary>
    public int MaxConcurrentImages { get; set; } = 8;

    /// <summary>How many image streams the import controller imports at once.</summary>
    public int Workers { get; set; } = 4;

    public void Validate()
    {
        if (MaxRepositoryTags is 0 or < -1)
        {
            throw new ArgumentException("--max-repository-tags must be positive, or -1 for no limit");
        }
        if (MaxConcurrentImages < 1)
        {
            throw new ArgumentException("--max-concurrent-images must be at least 1");
        }
        if (Workers < 1)
        {
            throw new ArgumentException("--import-workers must be at least 1");
        }
    }
}
