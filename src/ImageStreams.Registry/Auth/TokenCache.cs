using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace ImageStreams.Registry.Auth;

/// <summary>
/// Bearer tokens by realm, service, scope and identity, kept until shortly before they expire and shared by
/// every caller of the client. Concurrent callers that need the same token wait for one fetch.
/// </summary>
internal sealed class TokenCache(TimeProvider time)
{
    /// <summary>The lifetime the token spec assumes when a token server gives none (and the minimum it allows).</summary>
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromSeconds(60);

    private readonly ConcurrentDictionary<TokenKey, Lazy<Task<Token>>> entries = new();

    /// <returns>The token, and whether this call waited for a new fetch (false: it came from the cache).</returns>
    public async Task<(string Value, bool Fetched)> GetAsync(TokenKey key, Func<Task<Token>> fetch, CancellationToken cancellationToken)
    {
        while (true)
        {
            var created = new Lazy<Task<Token>>(fetch);
            var entry = entries.GetOrAdd(key, created);
            var fetched = ReferenceEquals(entry, created) || !entry.Value.IsCompleted;
            Token token;
            try
            {
                token = await entry.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch when (!cancellationToken.IsCancellationRequested)
            {
                entries.TryRemove(new KeyValuePair<TokenKey, Lazy<Task<Token>>>(key, entry));
                throw;
            }
            if (token.UsableUntil > time.GetUtcNow())
            {
                return (token.Value, fetched);
            }
            entries.TryRemove(new KeyValuePair<TokenKey, Lazy<Task<Token>>>(key, entry));
        }
    }

    /// <summary>Drops <paramref name="value"/> if it is still the cached token (the registry refused it).</summary>
    public void Invalidate(TokenKey key, string value)
    {
        if (entries.TryGetValue(key, out var entry)
            && entry.Value.IsCompletedSuccessfully
            && entry.Value.Result.Value == value)
        {
            entries.TryRemove(new KeyValuePair<TokenKey, Lazy<Task<Token>>>(key, entry));
        }
    }

    /// <summary>A token as the token server gave it; reused until 90% of its lifetime has passed.</summary>
    public Token Issue(string value, int expiresInSeconds)
    {
        var lifetime = TimeSpan.FromSeconds(Math.Max(expiresInSeconds, (int)DefaultLifetime.TotalSeconds));
        return new Token(value, time.GetUtcNow() + lifetime * 0.9);
    }

    /// <summary>Who asked: tokens fetched with different credentials are never shared.</summary>
    public static string IdentityOf(RegistryCredential? credential) =>
        credential is null
            ? "anonymous"
            : credential.Username + ":" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(credential.Username + ":" + credential.Password)));
}

internal readonly record struct TokenKey(string Realm, string Service, string Scope, string Identity);

internal sealed record Token(string Value, DateTimeOffset UsableUntil);
