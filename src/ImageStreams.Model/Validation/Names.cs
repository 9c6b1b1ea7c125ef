using System.Text.RegularExpressions;

namespace ImageStreams.Model.Validation;

/// <summary>Name rules of Kubernetes and OpenShift.</summary>
public static partial class Names
{
    public const int MaxLabelLength = 63;
    public const int MaxSubdomainLength = 253;

    public const string Dns1123LabelMessage =
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name', or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

    public const string Dns1123SubdomainMessage =
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

    public const string TagMessage =
        "a tag must start with a letter, digit or underscore, followed by up to 127 letters, digits, underscores, '.' or '-' (regex used for validation is '^[\\w][\\w.-]{0,127}$')";

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex LabelPattern();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$", RegexOptions.CultureInvariant)]
    private static partial Regex SubdomainPattern();

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$", RegexOptions.CultureInvariant)]
    private static partial Regex TagPattern();

    public static bool IsDns1123Label(string? name) =>
        name is { Length: > 0 and <= MaxLabelLength } && LabelPattern().IsMatch(name);

    public static bool IsDns1123Subdomain(string? name) =>
        name is { Length: > 0 and <= MaxSubdomainLength } && SubdomainPattern().IsMatch(name);

    public static bool IsTag(string? name) => name is not null && TagPattern().IsMatch(name);

    /// <summary>Checks a namespace name (a DNS-1123 label); an empty list when valid.</summary>
    public static IReadOnlyList<FieldError> ValidateNamespaceName(string? name, string field = "metadata.name") =>
        string.IsNullOrEmpty(name) ? [FieldError.MissingValue(field, "name or generateName is required")]
        : IsDns1123Label(name) ? []
        : [FieldError.Invalid(field, name, Dns1123LabelMessage)];

    /// <summary>Checks an object name that must be a DNS-1123 subdomain (image streams, secrets).</summary>
    public static IReadOnlyList<FieldError> ValidateSubdomainName(string? name, string field = "metadata.name") =>
        string.IsNullOrEmpty(name) ? [FieldError.MissingValue(field, "name or generateName is required")]
        : IsDns1123Subdomain(name) ? []
        : [FieldError.Invalid(field, name, Dns1123SubdomainMessage)];

    public static IReadOnlyList<FieldError> ValidateTagName(string? name, string field) =>
        string.IsNullOrEmpty(name) ? [FieldError.MissingValue(field)]
        : IsTag(name) ? []
        : [FieldError.Invalid(field, name, TagMessage)];
}
