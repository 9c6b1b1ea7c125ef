namespace ImageStreams.Model.Image;

/// <summary>Names of the image.openshift.io API group and its well-known annotations.</summary>
public static class ImageApi
{
    public const string Group = "image.openshift.io";
    public const string Version = "v1";
    public const string GroupVersion = Group + "/" + Version;

    public const string DockerRepositoryCheckAnnotation = "openshift.io/image.dockerRepositoryCheck";
    public const string InsecureRepositoryAnnotation = "openshift.io/image.insecureRepository";
    public const string ManagedByOpenShiftAnnotation = "openshift.io/image.managed";
    public const string DockerLayersOrderAnnotation = "image.openshift.io/dockerLayersOrder";
    public const string LayersOrderAscending = "ascending";
    public const string PreferArchAnnotation = "importer.image.openshift.io/prefer-arch";
    public const string PreferOsAnnotation = "importer.image.openshift.io/prefer-os";
    public const string TriggersAnnotation = "image.openshift.io/triggers";
}
