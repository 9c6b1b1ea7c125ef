namespace ImageStreams.Model.Meta;

/// <summary>
/// Whether a caller may do what it asks: allowed, refused (403), or not identified at all (401). The API and the
/// registry both decide with it, so they answer the same caller the same way.
/// </summary>
public sealed record AuthorizationDecision
{
    private AuthorizationDecision(bool allowed, bool authenticated, string reason)
    {
        Allowed = allowed;
        Authenticated = authenticated;
        Reason = reason;
    }

    public bool Allowed { get; }

    /// <summary>False when the caller could not be identified (401); true with <see cref="Allowed"/> false is 403.</summary>
    public bool Authenticated { get; }

    public string Reason { get; }

    public static AuthorizationDecision Allow { get; } = new(true, true, "");

    public static AuthorizationDecision Deny(string reason) => new(false, true, reason);

    public static AuthorizationDecision Unauthenticated(string reason = "Unauthorized") => new(false, false, reason);
}
