namespace ImageStreams.Model.Validation;

/// <summary>One invalid field, printed as Kubernetes prints field errors.</summary>
public sealed record FieldError(string Field, string Type, string Detail, object? Value = null)
{
    public const string Required = "FieldValueRequired";
    public const string InvalidValue = "FieldValueInvalid";
    public const string NotSupported = "FieldValueNotSupported";
    public const string Duplicate = "FieldValueDuplicate";
    public const string Forbidden = "FieldValueForbidden";

    public static FieldError MissingValue(string field, string detail = "") => new(field, Required, detail);
    public static FieldError Invalid(string field, object? value, string detail) => new(field, InvalidValue, detail, value);

    public override string ToString() => Type switch
    {
        Required => $"{Field}: Required value" + (Detail.Length > 0 ? $": {Detail}" : ""),
        Duplicate => $"{Field}: Duplicate value: {Quote(Value)}",
        NotSupported => $"{Field}: Unsupported value: {Quote(Value)}: {Detail}",
        Forbidden => $"{Field}: Forbidden: {Detail}",
        _ => $"{Field}: Invalid value: {Quote(Value)}: {Detail}",
    };

    private static string Quote(object? value) => value switch
    {
        null => "null",
        string s => $"\"{s}\"",
        bool b => b ? "true" : "false",
        _ => value.ToString() ?? "null",
    };
}
