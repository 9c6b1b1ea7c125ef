using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ImageStreams.Registry.Client;
using ImageStreams.Registry.Errors;
using ImageStreams.Registry.Http;
using ImageStreams.Registry.Manifests;
using ImageStreams.Registry.References;

namespace ImageStreams.Registry.Auth;

/// <summary>
/// Answers registry auth challenges (distribution "token authentication" spec, and Basic). The challenge of
/// each registry is learnt from the ping (or any 401) and remembered, so later requests carry a cached
/// token up front and cost one round trip.
/// </summary>
internal sealed class AuthenticationHandler(TokenCache tokens, RegistryClientOptions options, TimeProvider time) : DelegatingHandler
{
    private readonly ConcurrentDictionary<string, AuthChallenge> challenges = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Remembers the challenge a ping of <paramref name="authority"/> answered.</summary>
    public void Learn(string authority, AuthChallenge? challenge)
    {
        if (challenge is null)
        {
            challenges.TryRemove(authority, out _);
        }
        else
        {
            challenges[authority] = challenge;
        }
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var context = RegistryRequestContext.Of(request);
        if (context is null || context.Kind != RequestKind.Registry)
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        var authority = request.RequestUri!.Authority;
        challenges.TryGetValue(authority, out var known);
        var first = await AuthorizeAsync(request, context, known, context.Scope, cancellationToken).ConfigureAwait(false);
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Unauthorized)
        {
            return response;
        }
        if (first.Kind == AttemptKind.Basic)
        {
            response.Dispose();
            throw RegistryErrors.WrongCredentials(context.Reference ?? context.Registry);
        }
        var challenge = AuthChallenge.Select(response.Headers.TryGetValues("WWW-Authenticate", out var values) ? values : []);
        if (challenge is null)
        {
            return response;
        }
        challenges[authority] = challenge;
        var scope = challenge.Scope ?? context.Scope;
        // A token minted for this very request and scope was refused: the identity lacks access; asking again won't help.
        var pointless = first.Kind == AttemptKind.FetchedToken && scope == first.Key.Scope
            || challenge.IsBasic && context.Credential is null;
        if (pointless)
        {
            return response;
        }
        if (first.Kind == AttemptKind.CachedToken)
        {
            tokens.Invalidate(first.Key, first.Token!);
        }
        response.Dispose();
        using var again = request.Copy();
        var second = await AuthorizeAsync(again, context, challenge, scope, cancellationToken).ConfigureAwait(false);
        var retried = await base.SendAsync(again, cancellationToken).ConfigureAwait(false);
        if (retried.StatusCode == HttpStatusCode.Unauthorized && second.Kind == AttemptKind.Basic)
        {
            retried.Dispose();
            throw RegistryErrors.WrongCredentials(context.Reference ?? context.Registry);
        }
        return retried;
    }

    private async Task<Attempt> AuthorizeAsync(
        HttpRequestMessage request, RegistryRequestContext context, AuthChallenge? challenge, string scope, CancellationToken cancellationToken)
    {
        if (challenge is null)
        {
            return default;
        }
        if (challenge.IsBasic)
        {
            if (context.Credential is not { } credential)
            {
                return default;
            }
            request.Headers.Authorization = BasicHeader(credential);
            return new Attempt(AttemptKind.Basic, default, null);
        }
        if (!challenge.IsBearer)
        {
            return default;
        }
        var realm = ValidateRealm(challenge, context);
        var key = new TokenKey(realm.AbsoluteUri, challenge.Service ?? "", scope, TokenCache.IdentityOf(context.Credential));
        var (token, fetched) = await tokens.GetAsync(key, () => FetchTokenAsync(realm, key, context), cancellationToken).ConfigureAwait(false);
        request.Headers.Authorization = new AuthenticationHeaderValue(AuthChallenge.Bearer, token);
        return new Attempt(fetched ? AttemptKind.FetchedToken : AttemptKind.CachedToken, key, token);
    }

    // The realm comes from the registry's answer: only absolute http(s) URLs, and no password over plain HTTP to a remote host.
    private static Uri ValidateRealm(AuthChallenge challenge, RegistryRequestContext context)
    {
        if (!Uri.TryCreate(challenge.Realm, UriKind.Absolute, out var realm) || realm.Scheme is not ("https" or "http"))
        {
            throw RegistryErrors.InvalidResponse(context.Registry, context.Reference, $"the token realm \"{challenge.Realm}\" is not an http(s) URL", transient: false);
        }
        if (realm.Scheme == "http" && context.Credential is not null && !context.Insecure && !ImageReference.IsLoopback(realm.Authority))
        {
            throw RegistryErrors.InvalidResponse(context.Registry, context.Reference,
                $"the token realm \"{realm}\" is plain HTTP; credentials are sent to it only when the image is imported as insecure", transient: false);
        }
        return realm;
    }

    // Runs detached from any one caller (others may share it), bounded by the request timeout.
    private async Task<Token> FetchTokenAsync(Uri realm, TokenKey key, RegistryRequestContext context)
    {
        var query = new StringBuilder(realm.Query.Length == 0 ? "?" : realm.Query + "&");
        if (key.Service.Length > 0)
        {
            query.Append("service=").Append(Uri.EscapeDataString(key.Service)).Append('&');
        }
        query.AppendJoin('&', key.Scope.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(scope => "scope=" + Uri.EscapeDataString(scope)));
        var uri = new UriBuilder(realm) { Query = query.ToString()[1..] }.Uri;
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Options.Set(RegistryRequestContext.Key, context with { Kind = RequestKind.Token });
        if (context.Credential is { } credential)
        {
            request.Headers.Authorization = BasicHeader(credential);
        }
        request.Headers.UserAgent.ParseAdd(options.UserAgent);
        var realmHost = realm.Authority;
        using var timeout = new CancellationTokenSource(options.RequestTimeout, time);
        try
        {
            using var response = await base.SendAsync(request, timeout.Token).ConfigureAwait(false);
            switch (response.StatusCode)
            {
                case HttpStatusCode.OK:
                    break;
                case HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden:
                    throw context.Credential is null
                        ? RegistryErrors.Unauthorized(context.Reference ?? context.Registry)
                        : RegistryErrors.WrongCredentials(context.Reference ?? context.Registry);
                default:
                    throw await ResponseErrors.FromResponseAsync(response, context with { Registry = realmHost }, options, time, CancellationToken.None).ConfigureAwait(false);
            }
            var body = await ResponseErrors.ReadBoundedAsync(response, ResponseErrors.MaxErrorBodyBytes, timeout.Token).ConfigureAwait(false);
            TokenJson? json;
            try
            {
                json = JsonSerializer.Deserialize(body, RegistryJsonContext.Default.TokenJson);
            }
            catch (JsonException ex)
            {
                throw RegistryErrors.InvalidResponse(realmHost, context.Reference, $"the token answer is not valid JSON: {ex.Message}");
            }
            var value = json?.Token is { Length: > 0 } t ? t : json?.AccessToken;
            if (string.IsNullOrEmpty(value))
            {
                throw RegistryErrors.InvalidResponse(realmHost, context.Reference, "the token answer has no token");
            }
            return tokens.Issue(value, json!.ExpiresIn);
        }
        catch (Exception ex) when (ex is not RegistryException)
        {
            throw TransportErrors.Map(ex, context with { Registry = realmHost }, options);
        }
    }

    private static AuthenticationHeaderValue BasicHeader(RegistryCredential credential) =>
        new(AuthChallenge.Basic, Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credential.Username}:{credential.Password}")));

    private enum AttemptKind
    {
        None,
        Basic,
        CachedToken,
        FetchedToken,
    }

    private readonly record struct Attempt(AttemptKind Kind, TokenKey Key, string? Token);
}
