namespace ImageStreams.Controllers.Scheduling;

/// <summary>
/// A rate limit in ticks of the schedule's clock: <c>rate</c> tokens a second, holding at most one second's worth
/// (and at least one), so a burst after a quiet spell is bounded too. Starts full.
/// </summary>
internal struct TokenBucket
{
    private readonly double perTick;
    private readonly double capacity;
    private double tokens;
    private long updated;

    public TokenBucket(double perSecond, long now)
    {
        perTick = perSecond / TimeSpan.TicksPerSecond;
        capacity = Math.Max(1, perSecond);
        tokens = capacity;
        updated = now;
    }

    /// <summary>Whether a token is there at <paramref name="now"/> (without taking it).</summary>
    public bool Available(long now)
    {
        Refill(now);
        return tokens >= 1;
    }

    public void Take(long now)
    {
        Refill(now);
        tokens -= 1;
    }

    /// <summary>When the next token will be there.</summary>
    public readonly long NextAvailable(long now) =>
        tokens >= 1 ? now : now + (long)Math.Ceiling((1 - tokens) / perTick);

    private void Refill(long now)
    {
        if (now > updated)
        {
            tokens = Math.Min(capacity, tokens + ((now - updated) * perTick));
            updated = now;
        }
    }
}
