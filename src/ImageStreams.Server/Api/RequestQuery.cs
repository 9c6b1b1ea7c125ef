using System.Globalization;
using ImageStreams.Model.Meta;
using ImageStreams.Resources;
using ImageStreams.Server.Api.Tables;
using Microsoft.AspNetCore.Http;

namespace ImageStreams.Server.Api;

/// <summary>The query parameters of Kubernetes requests that this server honours.</summary>
internal sealed record RequestQuery(IQueryCollection Query)
{
    public string? LabelSelector => Value("labelSelector");

    public string? FieldSelector => Value("fieldSelector");

    public string? ResourceVersion => Value("resourceVersion");

    public bool AllowWatchBookmarks => Flag("allowWatchBookmarks");

    public bool SendInitialEvents => Flag("sendInitialEvents");

    public bool DryRun => Value("dryRun") switch
    {
        null or "" => false,
        "All" => true,
        var other => throw ApiErrors.BadRequest($"unsupported dryRun value \"{other}\": the only value is All"),
    };

    /// <summary>Strict makes unknown fields an error; Ignore and Warn drop them.</summary>
    public bool StrictFields => Value("fieldValidation") switch
    {
        null or "" or "Ignore" or "Warn" => false,
        "Strict" => true,
        var other => throw ApiErrors.BadRequest($"invalid fieldValidation \"{other}\": want Ignore, Warn or Strict"),
    };

    public IncludeObject IncludeObject => Value("includeObject") switch
    {
        null or "" or "Metadata" => IncludeObject.Metadata,
        "None" => IncludeObject.None,
        "Object" => IncludeObject.Object,
        var other => throw ApiErrors.BadRequest($"invalid includeObject \"{other}\": want None, Metadata or Object"),
    };

    /// <summary>The client's watch timeout, if it gave one.</summary>
    public TimeSpan? TimeoutSeconds => Value("timeoutSeconds") switch
    {
        null or "" => null,
        var text when long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) => TimeSpan.FromSeconds(seconds),
        var text => throw ApiErrors.BadRequest($"invalid timeoutSeconds \"{text}\": want a number of seconds"),
    };

    public ListOptions ListOptions(string? name = null) => new(LabelSelector, WithName(FieldSelector, name));

    /// <summary>A watch of one object is a watch of the collection selected by its name, as in Kubernetes.</summary>
    public WatchOptions WatchOptions(string? name) => new(ResourceVersion, LabelSelector, WithName(FieldSelector, name), SendInitialEvents);

    private static string? WithName(string? selector, string? name) =>
        string.IsNullOrEmpty(name) ? selector : string.IsNullOrEmpty(selector) ? $"metadata.name={name}" : $"{selector},metadata.name={name}";

    private string? Value(string key) => Query.TryGetValue(key, out var values) ? values.ToString() : null;

    private bool Flag(string key) => Value(key) is "true" or "1";
}
