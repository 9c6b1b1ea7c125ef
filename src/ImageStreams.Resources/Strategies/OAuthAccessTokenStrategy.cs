using ImageStreams.Model.Meta;
using ImageStreams.Model.Security;
using ImageStreams.Model.Validation;

namespace ImageStreams.Resources.Strategies;

/// <summary>Access tokens: named by the hash of the token, for a user, with a lifetime; never changed once made.</summary>
internal sealed class OAuthAccessTokenStrategy : IResourceStrategy<OAuthAccessToken>
{
    /// <summary><c>sha256~</c> and 43 base64url characters: the SHA-256 of a token.</summary>
    public const int NameLength = 7 + 43;

    public ResourceType Type => ResourceTypes.OAuthAccessTokens;

    public bool HasGeneration => false;

    public OAuthAccessToken WithMetadata(OAuthAccessToken obj, ObjectMeta metadata) => obj with { Metadata = metadata };

    public OAuthAccessToken PrepareForCreate(OAuthAccessToken obj, WriteScope scope) => obj;

    public OAuthAccessToken PrepareForUpdate(OAuthAccessToken obj, OAuthAccessToken old, WriteScope scope) => obj;

    public IReadOnlyList<FieldError> Validate(OAuthAccessToken obj, OAuthAccessToken? old)
    {
        var errors = new List<FieldError>();
        var name = obj.Metadata.Name;
        if (name is null || name.Length != NameLength || !name.StartsWith(OAuthApi.TokenPrefix, StringComparison.Ordinal)
            || !name[OAuthApi.TokenPrefix.Length..].All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            errors.Add(FieldError.Invalid("metadata.name", name, "must be sha256~ followed by the 43-character base64url SHA-256 of the token"));
        }
        if (string.IsNullOrEmpty(obj.UserName))
        {
            errors.Add(FieldError.MissingValue("userName"));
        }
        if (obj.ExpiresIn < 0)
        {
            errors.Add(FieldError.Invalid("expiresIn", obj.ExpiresIn, "must be 0 (never) or a number of seconds"));
        }
        if (old is not null && (old.UserName != obj.UserName || old.ExpiresIn != obj.ExpiresIn))
        {
            errors.Add(FieldError.Invalid("userName", obj.UserName, "a token cannot be changed"));
        }
        return errors;
    }

    public OAuthAccessToken Decorate(OAuthAccessToken obj) => obj;
}
