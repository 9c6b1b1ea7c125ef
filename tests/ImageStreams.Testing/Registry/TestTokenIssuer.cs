using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ImageStreams.Testing.Registry;

/// <summary>
/// A token server for docker-registry's token auth (distribution "token authentication" spec), on loopback.
/// It checks Basic credentials against its users and grants an authenticated user every scope asked for;
/// anonymous callers get a token with no access (so the registry denies them), and wrong passwords get 401.
/// Tokens are ES256 JWTs signed by a self-signed certificate the registry trusts through <c>rootcertbundle</c>.
/// </summary>
public sealed class TestTokenIssuer : IAsyncDisposable
{
    public const string Service = "test-registry";
    public const string Issuer = "test-issuer";

    private readonly WebApplication app;
    private readonly ECDsa key;
    private readonly string keyId;
    private readonly IReadOnlyDictionary<string, string> users;
    private readonly ConcurrentQueue<TokenRequest> requests = new();

    private TestTokenIssuer(WebApplication app, ECDsa key, IReadOnlyDictionary<string, string> users, string certificatePath)
    {
        this.app = app;
        this.key = key;
        this.users = users;
        keyId = LibtrustKeyId(key);
        CertificatePath = certificatePath;
    }

    /// <summary>The token endpoint, the <c>realm</c> of the registry's challenge.</summary>
    public Uri Realm { get; private set; } = null!;

    /// <summary>The PEM certificate the registry's <c>rootcertbundle</c> points at.</summary>
    public string CertificatePath { get; }

    /// <summary>Lifetime of the tokens issued, in seconds.</summary>
    public int ExpiresIn { get; set; } = 300;

    /// <summary>Every token request, in order.</summary>
    public IReadOnlyList<TokenRequest> Requests => requests.ToArray();

    /// <summary>Forgets the requests so far (e.g. those of the push that made a fixture).</summary>
    public void ClearRequests() => requests.Clear();

    /// <param name="directory">Where the certificate is written.</param>
    /// <param name="users">Username to password.</param>
    public static async Task<TestTokenIssuer> StartAsync(string directory, IReadOnlyDictionary<string, string> users)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=test-token-issuer", key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var certificatePath = Path.Combine(directory, "token-issuer.pem");
        await File.WriteAllTextAsync(certificatePath, certificate.ExportCertificatePem());

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var issuer = new TestTokenIssuer(app, key, users, certificatePath);
        app.MapGet("/token", issuer.Issue);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        issuer.Realm = new Uri(address + "/token");
        return issuer;
    }

    /// <summary>The key id docker-registry (libtrust) derives from a public key: SHA-256 of the DER SubjectPublicKeyInfo, first 30 bytes, base32, groups of 4.</summary>
    public static string LibtrustKeyId(ECDsa key)
    {
        var hash = SHA256.HashData(key.ExportSubjectPublicKeyInfo());
        var encoded = Base32(hash.AsSpan(0, 30));
        return string.Join(':', Enumerable.Range(0, encoded.Length / 4).Select(i => encoded.Substring(i * 4, 4)));
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        key.Dispose();
    }

    private IResult Issue(HttpContext context)
    {
        var user = Authenticate(context.Request.Headers.Authorization.ToString());
        var scopes = context.Request.Query["scope"].Where(s => !string.IsNullOrEmpty(s)).Select(s => s!).ToList();
        requests.Enqueue(new TokenRequest(user.Name, scopes));
        if (!user.Valid)
        {
            return Results.Json(new { details = "incorrect username or password" }, statusCode: 401);
        }
        var access = new JsonArray();
        if (user.Name is not null)
        {
            foreach (var scope in scopes)
            {
                // type:name:actions, where the name may itself hold colons (host:port/repo).
                var first = scope.IndexOf(':', StringComparison.Ordinal);
                var last = scope.LastIndexOf(':');
                if (first > 0 && last > first)
                {
                    access.Add(new JsonObject
                    {
                        ["type"] = scope[..first],
                        ["name"] = scope[(first + 1)..last],
                        ["actions"] = new JsonArray(scope[(last + 1)..].Split(',').Select(a => (JsonNode)a).ToArray()),
                    });
                }
            }
        }
        var now = DateTimeOffset.UtcNow;
        var token = Sign(new JsonObject
        {
            ["iss"] = Issuer,
            ["sub"] = user.Name ?? "",
            ["aud"] = context.Request.Query["service"].ToString() is { Length: > 0 } service ? service : Service,
            ["exp"] = now.AddSeconds(ExpiresIn).ToUnixTimeSeconds(),
            ["nbf"] = now.AddSeconds(-10).ToUnixTimeSeconds(),
            ["iat"] = now.ToUnixTimeSeconds(),
            ["jti"] = Guid.NewGuid().ToString("N"),
            ["access"] = access,
        });
        return Results.Json(new Dictionary<string, object>
        {
            ["token"] = token,
            ["access_token"] = token,
            ["expires_in"] = ExpiresIn,
            ["issued_at"] = now.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
        });
    }

    private (string? Name, bool Valid) Authenticate(string authorization)
    {
        if (!authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return (null, true);
        }
        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(authorization[6..].Trim()));
        }
        catch (FormatException)
        {
            return (null, false);
        }
        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        var name = colon > 0 ? decoded[..colon] : decoded;
        var password = colon > 0 ? decoded[(colon + 1)..] : "";
        return (name, users.TryGetValue(name, out var expected) && expected == password);
    }

    private string Sign(JsonObject claims)
    {
        var header = new JsonObject { ["typ"] = "JWT", ["alg"] = "ES256", ["kid"] = keyId };
        var signingInput = Base64Url(JsonSerializer.SerializeToUtf8Bytes(header)) + "." + Base64Url(JsonSerializer.SerializeToUtf8Bytes(claims));
        // JWS ES256 wants r||s, which is .NET's default (IEEE P1363) signature format.
        var signature = key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256);
        return signingInput + "." + Base64Url(signature);
    }

    private static string Base64Url(byte[] bytes) => System.Buffers.Text.Base64Url.EncodeToString(bytes);

    private static string Base32(ReadOnlySpan<byte> data)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var output = new StringBuilder();
        int buffer = 0, bits = 0;
        foreach (var b in data)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                output.Append(alphabet[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
            buffer &= (1 << bits) - 1;
        }
        if (bits > 0)
        {
            output.Append(alphabet[(buffer << (5 - bits)) & 31]);
        }
        return output.ToString();
    }
}

/// <summary>A request the token issuer answered: who asked (null for anonymous) and for which scopes.</summary>
public sealed record TokenRequest(string? User, IReadOnlyList<string> Scopes);
