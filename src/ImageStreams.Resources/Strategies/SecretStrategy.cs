using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using ImageStreams.Model.Core;
using ImageStreams.Model.Meta;
using ImageStreams.Model.Validation;

namespace ImageStreams.Resources.Strategies;

/// <summary>Secrets: <c>stringData</c> is folded into base64 <c>data</c>; the type decides which keys are required.</summary>
internal sealed partial class SecretStrategy : IResourceStrategy<Secret>
{
    /// <summary>Kubernetes' limit on the data of one secret.</summary>
    public const int MaxSecretBytes = 1024 * 1024;

    public ResourceType Type => ResourceTypes.Secrets;

    public bool HasGeneration => false;

    public Secret WithMetadata(Secret obj, ObjectMeta metadata) => obj with { Metadata = metadata };

    public Secret PrepareForCreate(Secret obj, WriteScope scope) =>
        FoldStringData(obj) with { Type = string.IsNullOrEmpty(obj.Type) ? SecretTypes.Opaque : obj.Type };

    public Secret PrepareForUpdate(Secret obj, Secret old, WriteScope scope) =>
        FoldStringData(obj) with { Type = string.IsNullOrEmpty(obj.Type) ? old.Type : obj.Type };

    public IReadOnlyList<FieldError> Validate(Secret obj, Secret? old)
    {
        var errors = new List<FieldError>(Names.ValidateSubdomainName(obj.Metadata.Name));
        var data = obj.Data ?? new Dictionary<string, string>();
        var total = 0;
        foreach (var (key, value) in data)
        {
            if (!KeyPattern().IsMatch(key) || key.Length > Names.MaxSubdomainLength)
            {
                errors.Add(FieldError.Invalid($"data[{key}]", key, "a valid config key must consist of alphanumeric characters, '-', '_' or '.'"));
            }
            if (!TryDecode(value, out var bytes))
            {
                errors.Add(FieldError.Invalid($"data[{key}]", "<value omitted>", "must be base64-encoded"));
                continue;
            }
            total += bytes.Length;
            if (key == SecretTypes.DockerConfigJsonKey && obj.Type == SecretTypes.DockerConfigJson && !IsJson(bytes))
            {
                errors.Add(FieldError.Invalid($"data[{key}]", "<secret contents redacted>", "must be valid JSON"));
            }
        }
        if (total > MaxSecretBytes)
        {
            errors.Add(new FieldError("data", "FieldValueTooLong", $"Too long: must have at most {MaxSecretBytes} bytes"));
        }
        var required = obj.Type switch
        {
            SecretTypes.DockerConfigJson => SecretTypes.DockerConfigJsonKey,
            SecretTypes.DockerCfg => SecretTypes.DockerCfgKey,
            _ => null,
        };
        if (required is not null && !data.ContainsKey(required))
        {
            errors.Add(FieldError.MissingValue($"data[{required}]"));
        }
        if (old is not null)
        {
            if (old.Type != obj.Type)
            {
                errors.Add(FieldError.Invalid("type", obj.Type, "field is immutable"));
            }
            if (old.Immutable == true && (!SameData(old.Data, obj.Data) || obj.Immutable != true))
            {
                errors.Add(new FieldError("data", FieldError.Forbidden, "field is immutable when `immutable` is set"));
            }
        }
        return errors;
    }

    public Secret Decorate(Secret obj) => obj;

    // A null value (JSON null, YAML "key:") is empty, as Kubernetes reads it.
    private static Secret FoldStringData(Secret secret)
    {
        var data = secret.Data?.ToDictionary(kv => kv.Key, kv => kv.Value ?? "");
        if (secret.StringData is not { Count: > 0 } plain)
        {
            return secret with { Data = data, StringData = null };
        }
        data ??= [];
        foreach (var (key, value) in plain)
        {
            data[key] = Convert.ToBase64String(Encoding.UTF8.GetBytes(value ?? ""));
        }
        return secret with { Data = data, StringData = null };
    }

    private static bool TryDecode(string value, out byte[] bytes)
    {
        var buffer = new byte[(value.Length * 3 / 4) + 3];
        if (Convert.TryFromBase64String(value, buffer, out var written))
        {
            bytes = buffer[..written];
            return true;
        }
        bytes = [];
        return false;
    }

    private static bool IsJson(byte[] bytes)
    {
        try
        {
            using var _ = JsonDocument.Parse(bytes);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static bool SameData(IReadOnlyDictionary<string, string>? a, IReadOnlyDictionary<string, string>? b) =>
        (a?.Count ?? 0) == (b?.Count ?? 0) && (a is null || a.All(kv => b!.TryGetValue(kv.Key, out var v) && v == kv.Value));

    [GeneratedRegex("^[-._a-zA-Z0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex KeyPattern();
}
