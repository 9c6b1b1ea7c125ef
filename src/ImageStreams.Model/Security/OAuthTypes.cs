using System.Security.Cryptography;
using System.Text;
using ImageStreams.Model.Meta;

namespace ImageStreams.Model.Security;

/// <summary>Names of OpenShift's OAuth and user APIs.</summary>
public static class OAuthApi
{
    public const string Group = "oauth.openshift.io";
    public const string UserGroup = "user.openshift.io";
    public const string Version = "v1";
    public const string GroupVersion = Group + "/" + Version;
    public const string UserGroupVersion = UserGroup + "/" + Version;

    /// <summary>The prefix of every token and of every token object's name, as OpenShift's.</summary>
    public const string TokenPrefix = "sha256~";

    /// <summary>The name of the object that stores <paramref name="token"/>: <c>sha256~</c> and the base64url SHA-256 of it.</summary>
    public static string TokenObjectName(string token) => TokenPrefix + Base64Url(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>Unpadded base64url, as token names are written.</summary>
    public static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>
/// A bearer token, stored as OpenShift stores it: named <c>sha256~</c> and the base64url SHA-256 of the token, so the
/// token itself is never kept. Deleting the object revokes the token.
/// </summary>
public sealed record OAuthAccessToken : IResource
{
    public const string KindName = "OAuthAccessToken";

    public string? ApiVersion { get; init; } = OAuthApi.GroupVersion;
    public string? Kind { get; init; } = KindName;
    public ObjectMeta Metadata { get; init; } = new();

    /// <summary>The user the token authenticates.</summary>
    public string? UserName { get; init; }

    /// <summary>Seconds from creation until the token expires; 0 never expires.</summary>
    public long ExpiresIn { get; init; }

    /// <summary>What issued it: <c>isctl-login</c>, <c>registry</c>, <c>bootstrap</c>.</summary>
    public string? ClientName { get; init; }
}

/// <summary>A user as the server knows it (<c>users/~</c> is the caller).</summary>
public sealed record User : IResource
{
    public const string KindName = "User";

    public string? ApiVersion { get; init; } = OAuthApi.UserGroupVersion;
    public string? Kind { get; init; } = KindName;
    public ObjectMeta Metadata { get; init; } = new();
    public IReadOnlyList<string>? Groups { get; init; }
}
