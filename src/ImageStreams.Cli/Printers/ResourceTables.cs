using System.Globalization;
using System.Text.Json.Nodes;
using ImageStreams.Model.Build;
using ImageStreams.Model.Core;
using ImageStreams.Model.Image;
using ImageStreams.Model.Meta;

namespace ImageStreams.Cli.Printers;

/// <summary>A column of a table; wide columns appear only with -o wide.</summary>
internal sealed record TableColumn(string Header, bool Wide = false);

/// <summary>The columns kubectl and oc print for one resource type, and how a row is made from an object.</summary>
internal sealed class ResourceTable(IReadOnlyList<TableColumn> columns, Func<JsonObject, DateTimeOffset, IReadOnlyList<string>> cells)
{
    public IReadOnlyList<string> Header(bool wide, bool withNamespace) =>
        Prefix(withNamespace, "NAMESPACE", columns.Where(c => wide || !c.Wide).Select(c => c.Header));

    /// <param name="name">Replaces the NAME cell (with the kind prefixed when several types are printed).</param>
    public IReadOnlyList<string> Row(JsonObject obj, DateTimeOffset now, bool wide, bool withNamespace, string? name = null)
    {
        var values = cells(obj, now).ToArray();
        if (name is not null)
        {
            values[0] = name;
        }
        return Prefix(withNamespace, ObjectPrinter.NamespaceOf(obj) ?? "", values.Where((_, i) => wide || !columns[i].Wide));
    }

    private static List<string> Prefix(bool withNamespace, string first, IEnumerable<string> rest) =>
        withNamespace ? [first, .. rest] : [.. rest];
}

/// <summary>The tables of every resource type (oc's for image.openshift.io, kubectl's for the core types).</summary>
internal static class ResourceTables
{
    private static readonly ResourceTable ImageStreams = new(
        [new("NAME"), new("IMAGE REPOSITORY"), new("TAGS"), new("UPDATED")],
        (obj, now) =>
        {
            var stream = ObjectPrinter.As<ImageStream>(obj);
            return [stream.Metadata.Name ?? "", Repository(stream), TagSummary.Of(TagNames(stream)), Updated(stream, now)];
        });

    private static readonly ResourceTable ImageStreamTags = new(
        [new("NAME"), new("IMAGE REFERENCE"), new("UPDATED"), new("IMAGE NAME", Wide: true)],
        (obj, now) =>
        {
            var tag = ObjectPrinter.As<ImageStreamTag>(obj);
            return [tag.Metadata.Name ?? "", tag.Image?.DockerImageReference ?? "", AgoOrEmpty(tag.Metadata.CreationTimestamp, now),
                tag.Image?.Metadata.Name ?? ""];
        });

    private static readonly ResourceTable ImageStreamImages = new(
        [new("NAME"), new("UPDATED"), new("IMAGE REFERENCE", Wide: true), new("IMAGE NAME", Wide: true)],
        (obj, now) =>
        {
            var image = ObjectPrinter.As<ImageStreamImage>(obj);
            return [image.Metadata.Name ?? "", AgoOrEmpty(image.Metadata.CreationTimestamp, now), image.Image.DockerImageReference ?? "",
                image.Image.Metadata.Name ?? ""];
        });

    private static readonly ResourceTable Images = new(
        [new("NAME"), new("IMAGE REFERENCE")],
        (obj, _) =>
        {
            var image = ObjectPrinter.As<Image>(obj);
            return [image.Metadata.Name ?? "", image.DockerImageReference ?? ""];
        });

    private static readonly ResourceTable BuildConfigs = new(
        [new("NAME"), new("TYPE"), new("FROM"), new("LATEST")],
        (obj, _) =>
        {
            var config = ObjectPrinter.As<BuildConfig>(obj);
            return [config.Metadata.Name ?? "", config.Spec.Strategy.Type ?? "", BuildColumns.From(config.Spec.Source, null),
                (config.Status?.LastVersion ?? 0).ToString(CultureInfo.InvariantCulture)];
        });

    private static readonly ResourceTable Builds = new(
        [new("NAME"), new("TYPE"), new("FROM"), new("STATUS"), new("STARTED"), new("DURATION")],
        (obj, now) =>
        {
            var build = ObjectPrinter.As<Build>(obj);
            return [build.Metadata.Name ?? "", build.Spec.Strategy.Type ?? "", BuildColumns.From(build.Spec.Source, build.Spec.Revision),
                BuildColumns.Status(build.Status), AgoOrEmpty(build.Status.StartTimestamp, now), BuildColumns.Duration(build.Status)];
        });

    private static readonly ResourceTable Namespaces = new(
        [new("NAME"), new("STATUS"), new("AGE")],
        (obj, now) =>
        {
            var ns = ObjectPrinter.As<Namespace>(obj);
            return [ns.Metadata.Name ?? "", ns.Status?.Phase ?? "", Ages.Age(ns.Metadata.CreationTimestamp, now)];
        });

    private static readonly ResourceTable Secrets = new(
        [new("NAME"), new("TYPE"), new("DATA"), new("AGE")],
        (obj, now) =>
        {
            var secret = ObjectPrinter.As<Secret>(obj);
            return [secret.Metadata.Name ?? "", secret.Type ?? "", (secret.Data?.Count ?? 0).ToString(CultureInfo.InvariantCulture),
                Ages.Age(secret.Metadata.CreationTimestamp, now)];
        });

    private static readonly ResourceTable Generic = new(
        [new("NAME"), new("AGE")],
        (obj, now) =>
        {
            var metadata = obj["metadata"] as JsonObject;
            var created = metadata?["creationTimestamp"]?.GetValue<string>() is { } text &&
                          DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
                ? time
                : (DateTimeOffset?)null;
            return [metadata?["name"]?.GetValue<string>() ?? "", Ages.Age(created, now)];
        });

    public static ResourceTable For(ResourceType type) => type.Resource switch
    {
        "imagestreams" => ImageStreams,
        "imagestreamtags" => ImageStreamTags,
        "imagestreamimages" => ImageStreamImages,
        "images" => Images,
        "buildconfigs" => BuildConfigs,
        "builds" => Builds,
        "namespaces" => Namespaces,
        "secrets" => Secrets,
        _ => Generic,
    };

    /// <summary>Spec and status tag names in oc's order.</summary>
    public static IReadOnlyList<string> TagNames(ImageStream stream) =>
        TagOrdering.Prioritize((stream.Status?.Tags ?? []).Select(t => t.Tag)
            .Concat((stream.Spec.Tags ?? []).Select(t => t.Name))
            .Distinct(StringComparer.Ordinal));

    /// <summary>What oc shows as the stream's repository: the public name when there is one.</summary>
    private static string Repository(ImageStream stream) =>
        NonEmpty(stream.Status?.PublicDockerImageRepository) ?? NonEmpty(stream.Spec.DockerImageRepository) ??
        stream.Status?.DockerImageRepository ?? "";

    /// <summary>The age of the newest current image of any tag.</summary>
    private static string Updated(ImageStream stream, DateTimeOffset now)
    {
        var newest = (stream.Status?.Tags ?? [])
            .Where(t => t.Items.Count > 0)
            .Select(t => (DateTimeOffset?)t.Items[0].Created)
            .Max();
        return AgoOrEmpty(newest, now);
    }

    private static string AgoOrEmpty(DateTimeOffset? time, DateTimeOffset now) => time is null ? "" : Ages.Ago(time.Value, now);

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
