using System.Text.Json;
using System.Text.Json.Nodes;
using ImageStreams.Distribution.Repositories;
using ImageStreams.Registry.Manifests;
using ImageStreams.Registry.References;

namespace ImageStreams.Distribution.Storage;

/// <summary>
/// The referrers of each repository (distribution spec 1.1 "Listing Referrers"): a manifest with a <c>subject</c> is
/// recorded under its subject as the descriptor the referrers list shows, one small file per referrer in
/// <c>repositories/&lt;ns&gt;/&lt;stream&gt;/referrers/&lt;alg&gt;/&lt;subject hex&gt;/</c>, so pushes of referrers never contend.
/// </summary>
internal sealed class Referrers(StorageLayout layout)
{
    /// <summary>The subject a manifest refers to and the descriptor it is listed with; null for a manifest without subject.</summary>
    public static (Digest Subject, JsonObject Descriptor)? Of(Manifest manifest)
    {
        JsonObject? document;
        try
        {
            document = JsonNode.Parse(manifest.Content.Span) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
        if (document?["subject"]?["digest"] is not JsonValue subject || !Digest.TryParse(subject.ToString(), out var digest))
        {
            return null;
        }
        var descriptor = new JsonObject
        {
            ["mediaType"] = manifest.MediaType,
            ["digest"] = manifest.Digest.ToString(),
            ["size"] = manifest.Size,
        };
        // An image manifest without artifactType is typed by its config, as the spec asks.
        if ((document["artifactType"] ?? document["config"]?["mediaType"]) is JsonValue type)
        {
            descriptor["artifactType"] = type.ToString();
        }
        if (document["annotations"] is JsonObject annotations)
        {
            descriptor["annotations"] = annotations.DeepClone();
        }
        return (digest, descriptor);
    }

    public void Add(RepositoryName repository, Digest subject, Digest referrer, JsonObject descriptor)
    {
        var path = layout.Referrer(repository, subject, referrer);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = layout.NewTempFile();
        File.WriteAllText(temp, descriptor.ToJsonString());
        File.Move(temp, path, overwrite: true);
    }

    public void Remove(RepositoryName repository, Digest subject, Digest referrer) => File.Delete(layout.Referrer(repository, subject, referrer));

    /// <summary>The descriptors of the manifests referring to <paramref name="subject"/>, in digest order.</summary>
    public IReadOnlyList<JsonObject> List(RepositoryName repository, Digest subject)
    {
        var directory = layout.Referrers(repository, subject);
        if (!Directory.Exists(directory))
        {
            return [];
        }
        return Directory.EnumerateFiles(directory)
            .Order(StringComparer.Ordinal)
            .Select(Read)
            .OfType<JsonObject>()
            .ToList();
    }

    // A referrer deleted while the list is read is simply not listed.
    private static JsonObject? Read(string file)
    {
        try
        {
            return JsonNode.Parse(File.ReadAllText(file)) as JsonObject;
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }
}
