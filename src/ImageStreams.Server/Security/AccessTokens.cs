using System.Security.Cryptography;
using ImageStreams.Model.Meta;
using ImageStreams.Model.Security;
using ImageStreams.Resources;

namespace ImageStreams.Server.Security;

/// <summary>A token that authenticated a request: whose it is, the object that stores it, and when it stops working.</summary>
internal sealed record AccessToken(string UserName, string ObjectName, DateTimeOffset? ExpiresAt);

/// <summary>
/// Bearer tokens: 32 random bytes as <c>sha256~&lt;base64url&gt;</c>, stored only as the hash of the token (the name of an
/// <c>oauthaccesstokens</c> object), with a lifetime. Deleting the object revokes the token.
/// </summary>
internal sealed class AccessTokens(ResourceSet resources, TimeProvider time)
{
    /// <summary>The object name that stores <paramref name="token"/>: <c>sha256~</c> and the base64url SHA-256 of it.</summary>
    public static string ObjectName(string token) => OAuthApi.TokenObjectName(token);

    /// <summary>Makes a new token for <paramref name="userName"/>; <paramref name="lifetime"/> null never expires.</summary>
    public async Task<(string Token, AccessToken Info)> IssueAsync(string userName, TimeSpan? lifetime, string clientName, CancellationToken cancellationToken)
    {
        var token = OAuthApi.TokenPrefix + OAuthApi.Base64Url(RandomNumberGenerator.GetBytes(32));
        var seconds = lifetime is { } l ? Math.Max(1, (long)l.TotalSeconds) : 0;
        var created = await resources.AccessTokens.CreateAsync(null, new OAuthAccessToken
        {
            Metadata = new ObjectMeta { Name = ObjectName(token) },
            UserName = userName,
            ExpiresIn = seconds,
            ClientName = clientName,
        }, null, cancellationToken).ConfigureAwait(false);
        return (token, Describe(created));
    }

    /// <summary>The token's owner and expiry; null when it is unknown, revoked or expired.</summary>
    public async Task<AccessToken?> FindAsync(string token, CancellationToken cancellationToken)
    {
        if (!token.StartsWith(OAuthApi.TokenPrefix, StringComparison.Ordinal) || token.Length > 256)
        {
            return null;
        }
        OAuthAccessToken stored;
        try
        {
            stored = await resources.AccessTokens.GetAsync(null, ObjectName(token), cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException e) when (e.Code == 404)
        {
            return null;
        }
        var info = Describe(stored);
        return info.ExpiresAt is { } expires && expires <= time.GetUtcNow() ? null : info;
    }

    /// <summary>Deletes the token's object; false when there was none.</summary>
    public async Task<bool> RevokeAsync(string token, CancellationToken cancellationToken)
    {
        try
        {
            await resources.AccessTokens.DeleteAsync(null, ObjectName(token), null, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (ApiException e) when (e.Code == 404)
        {
            return false;
        }
    }

    /// <summary>Deletes the objects of expired tokens; returns how many.</summary>
    public async Task<int> DeleteExpiredAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var deleted = 0;
        foreach (var token in (await resources.AccessTokens.ListAsync(null, null, cancellationToken).ConfigureAwait(false)).Items)
        {
            if (Describe(token).ExpiresAt is { } expires && expires <= now)
            {
                try
                {
                    await resources.AccessTokens.DeleteAsync(null, token.Metadata.Name!, null, cancellationToken).ConfigureAwait(false);
                    deleted++;
                }
                catch (ApiException e) when (e.Code == 404)
                {
                }
            }
        }
        return deleted;
    }

    private static AccessToken Describe(OAuthAccessToken token) => new(
        token.UserName ?? "",
        token.Metadata.Name ?? "",
        token.ExpiresIn > 0 && token.Metadata.CreationTimestamp is { } created ? created.AddSeconds(token.ExpiresIn) : null);
}
