namespace ImageStreams.Controllers.Scheduling;

/// <summary>
/// A rate limit in ticks of the schedule's clock: <c>rate</c> starts a second, with a burst of at most one second's worth
/// (and at least one), so a burst after a quiet spell is bounded too. Starts full. Kept as the time the next start is
/// due (the generic cell rate algorithm), in whole ticks, so rounding never slows it down.
/// </summary>
internal struct TokenBucket
{
    private readonly long spacing;
    private readonly long burst;
    private long next;

    public TokenBucket(double perSecond, long now)
    {
        spacing = Math.Max(1, (long)(TimeSpan.TicksPerSecond / perSecond));
        burst = (long)((Math.Max(1, perSecond) - 1) * spacing);
        next = now;
    }

    /// <summary>Whether a start is allowed at <paramref name="now"/>.</summary>
    public readonly bool Available(long now) => now >= next - burst;

    public void Take(long now) => next = Math.Max(next, now) + spacing;

    /// <summary>When the next start will be allowed.</summary>
    public readonly long NextAvailable(long now) => Math.Max(now, next - burst);
}
