using System.Diagnostics.CodeAnalysis;
using ImageStreams.Model.Validation;

namespace ImageStreams.Distribution.Repositories;

/// <summary>
/// A repository of the integrated registry: <c>&lt;namespace&gt;/&lt;imagestream&gt;</c>. Both parts follow the API's name
/// rules (a DNS label and a DNS subdomain), so neither can be empty, <c>.</c>, <c>..</c> or hold a separator: a valid
/// name is also a safe pair of directory names.
/// </summary>
public sealed record RepositoryName
{
    /// <summary>The distribution spec's limit on a whole repository name.</summary>
    public const int MaxLength = 255;

    private RepositoryName(string ns, string stream)
    {
        Namespace = ns;
        Stream = stream;
    }

    public string Namespace { get; }

    public string Stream { get; }

    public static bool TryParse(string value, [NotNullWhen(true)] out RepositoryName? name, [NotNullWhen(false)] out string? error)
    {
        name = null;
        var parts = value.Split('/');
        if (value.Length > MaxLength)
        {
            error = $"longer than {MaxLength} characters";
        }
        else if (parts.Length != 2)
        {
            error = "repositories are <namespace>/<imagestream>";
        }
        else if (!Names.IsDns1123Label(parts[0]))
        {
            error = $"the namespace must be a DNS label: {Names.Dns1123LabelMessage}";
        }
        else if (!Names.IsDns1123Subdomain(parts[1]))
        {
            error = $"the image stream name must be a DNS subdomain: {Names.Dns1123SubdomainMessage}";
        }
        else
        {
            name = new RepositoryName(parts[0], parts[1]);
            error = null;
        }
        return name is not null;
    }

    public override string ToString() => $"{Namespace}/{Stream}";
}
