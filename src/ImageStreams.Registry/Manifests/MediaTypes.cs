namespace ImageStreams.Registry.Manifests;

/// <summary>The media types of manifests, configs and layers this client reads.</summary>
public static class MediaTypes
{
    public const string OciManifest = "application/vnd.oci.image.manifest.v1+json";
    public const string OciIndex = "application/vnd.oci.image.index.v1+json";
    public const string DockerManifest = "application/vnd.docker.distribution.manifest.v2+json";
    public const string DockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json";
    public const string DockerSchema1 = "application/vnd.docker.distribution.manifest.v1+json";
    public const string DockerSchema1Signed = "application/vnd.docker.distribution.manifest.v1+prettyjws";

    public const string OciConfig = "application/vnd.oci.image.config.v1+json";
    public const string DockerConfig = "application/vnd.docker.container.image.v1+json";

    public const string OciLayer = "application/vnd.oci.image.layer.v1.tar+gzip";
    public const string DockerLayer = "application/vnd.docker.image.rootfs.diff.tar.gzip";

    /// <summary>The layer media type OpenShift records for schema 1 layers.</summary>
    public const string DockerSchema1Layer = "application/vnd.docker.container.image.rootfs.diff+x-gtar";

    /// <summary>Every manifest type, in the order a registry should prefer them (the Accept header of a manifest request).</summary>
    public static IReadOnlyList<string> AcceptedManifests { get; } =
    [
        OciManifest, OciIndex, DockerManifest, DockerManifestList, DockerSchema1Signed, DockerSchema1,
    ];

    public static bool IsList(string? mediaType) => mediaType is OciIndex or DockerManifestList;

    public static bool IsImageManifest(string? mediaType) => mediaType is OciManifest or DockerManifest;

    public static bool IsSchema1(string? mediaType) => mediaType is DockerSchema1 or DockerSchema1Signed;

    public static bool IsManifest(string? mediaType) => IsList(mediaType) || IsImageManifest(mediaType) || IsSchema1(mediaType);

    public static bool IsImageConfig(string? mediaType) => mediaType is OciConfig or DockerConfig;
}
