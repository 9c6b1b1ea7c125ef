using ImageStreams.Controllers.Import;
using ImageStreams.Builder;
using ImageStreams.Model.Build;
using ImageStreams.Model.Core;
using ImageStreams.Model.Image;
using ImageStreams.Model.Meta;
using ImageStreams.Registry.Auth;
using ImageStreams.Registry.Client;
using ImageStreams.Registry.Errors;
using ImageStreams.Registry.References;
using ImageStreams.Resources;
using BuildReasons = ImageStreams.Model.Build.BuildReasons;

namespace ImageStreams.Controllers.Builds;

/// <summary>
/// Where a build's images are: its base resolved to a digest before it starts (an ImageStreamTag through the tag's
/// newest image and reference policy, a DockerImage by a HEAD request), its output as a pushable reference, and the
/// access each needs (this server's registry through <see cref="IIntegratedRegistryCredentials"/>, others through the
/// namespace's secrets).
/// </summary>
internal sealed class BuildImages(
    ResourceSet resources,
    IRegistryClient registry,
    IRegistryHost registryHost,
    IIntegratedRegistryCredentials integrated,
    PullSecrets pullSecrets)
{
    /// <summary>The base by digest; fails with <see cref="BuildException"/> when it cannot be resolved.</summary>
    public async Task<ImageReference> ResolveBaseAsync(string ns, ObjectReference from, CancellationToken cancellationToken)
    {
        var fromNamespace = string.IsNullOrEmpty(from.Namespace) ? ns : from.Namespace;
        string pullSpec;
        switch (from.Kind)
        {
            case SourceKinds.ImageStreamTag:
                var (streamName, tag) = Split(from.Name!, ':');
                var stream = await resources.ImageStreams.FindAsync(fromNamespace, streamName, cancellationToken).ConfigureAwait(false)
                             ?? throw new BuildException(BuildReasons.CannotRetrieveImage, $"image stream {fromNamespace}/{streamName} does not exist");
                var latest = TagHistory.Latest(stream, tag)
                             ?? throw new BuildException(BuildReasons.CannotRetrieveImage,
                                 $"image stream tag {fromNamespace}/{from.Name} has no image yet");
                pullSpec = TagHistory.ResolveReference(stream, tag, latest);
                break;
            case SourceKinds.ImageStreamImage:
                try
                {
                    var image = await resources.ImageStreamImages.GetAsync(fromNamespace, from.Name!, cancellationToken).ConfigureAwait(false);
                    pullSpec = image.Image.DockerImageReference ?? "";
                }
                catch (ApiException e) when (e.Reason == StatusReasons.NotFound)
                {
                    throw new BuildException(BuildReasons.CannotRetrieveImage, $"image stream image {fromNamespace}/{from.Name} does not exist");
                }
                break;
            default:
                pullSpec = from.Name ?? "";
                break;
        }
        if (!ImageReference.TryParse(pullSpec, out var reference))
        {
            throw new BuildException(BuildReasons.CannotRetrieveImage, $"\"{pullSpec}\" is not an image reference");
        }
        if (reference.Digest is not null)
        {
            return reference.Tag is null ? reference : reference.ForDigest(reference.Digest);
        }
        try
        {
            var access = await AccessAsync(ns, reference, null, cancellationToken).ConfigureAwait(false);
            var descriptor = await registry.Manifests.HeadAsync(reference, access, cancellationToken).ConfigureAwait(false);
            return reference.ForDigest(descriptor.Digest);
        }
        catch (RegistryException e)
        {
            throw new BuildException(BuildReasons.CannotRetrieveImage, $"cannot resolve the base image {reference}: {e.Message}", e);
        }
    }

    /// <summary>Where the output goes: <c>REGISTRY/NS/STREAM:TAG</c> for an ImageStreamTag, the pull spec for a DockerImage.</summary>
    public ImageReference Output(string ns, ObjectReference to)
    {
        if (to.Kind == SourceKinds.ImageStreamTag)
        {
            var (stream, tag) = Split(to.Name!, ':');
            var target = string.IsNullOrEmpty(to.Namespace) ? ns : to.Namespace;
            return ImageReference.Parse($"{registryHost.HostPort}/{target}/{stream}:{tag}");
        }
        return ImageReference.TryParse(to.Name, out var reference)
            ? reference
            : throw new BuildException(BuildReasons.InvalidOutputReference, $"the output \"{to.Name}\" is not an image reference");
    }

    /// <summary>
    /// How a build reaches <paramref name="reference"/>: this server's registry with its own credentials; another with
    /// <paramref name="secret"/> when named, else the namespace's pull secrets. Loopback registries may be plain HTTP.
    /// </summary>
    public async Task<RegistryAccess> AccessAsync(string ns, ImageReference reference, string? secret, CancellationToken cancellationToken)
    {
        if (reference.Registry == registryHost.HostPort)
        {
            var credentials = await integrated.ForBuildAsync(ns, reference.Repository, cancellationToken).ConfigureAwait(false);
            return new RegistryAccess { Insecure = true, Credentials = credentials };
        }
        var insecure = ImageReference.IsLoopback(reference.RegistryHost);
        if (string.IsNullOrEmpty(secret))
        {
            return new RegistryAccess { Insecure = insecure, Credentials = await pullSecrets.ForNamespaceAsync(ns, cancellationToken).ConfigureAwait(false) };
        }
        var found = await resources.Secrets.FindAsync(ns, secret, cancellationToken).ConfigureAwait(false)
                    ?? throw new BuildException(BuildReasons.InvalidOutputReference, $"the push secret {ns}/{secret} does not exist");
        var key = found.Type == SecretTypes.DockerCfg ? SecretTypes.DockerCfgKey : SecretTypes.DockerConfigJsonKey;
        if (found.Data?.TryGetValue(key, out var encoded) != true)
        {
            throw new BuildException(BuildReasons.InvalidOutputReference, $"the push secret {ns}/{secret} has no {key}");
        }
        try
        {
            return new RegistryAccess { Insecure = insecure, Credentials = DockerConfigCredentialProvider.FromJson(Convert.FromBase64String(encoded!)) };
        }
        catch (FormatException e)
        {
            throw new BuildException(BuildReasons.InvalidOutputReference, $"the push secret {ns}/{secret} cannot be read: {e.Message}", e);
        }
    }

    private static (string, string) Split(string value, char separator)
    {
        var at = value.IndexOf(separator, StringComparison.Ordinal);
        return (value[..at], value[(at + 1)..]);
    }
}
