namespace ImageStreams.Store.Tests;

/// <summary>The limits a contract test needs a backend to be opened with; small values make trimming and overflow cheap to reach.</summary>
public sealed record StoreTestLimits(int WatchHistory = 1_000, int WatchBufferSize = 100)
{
    public static StoreTestLimits Default { get; } = new();
}
