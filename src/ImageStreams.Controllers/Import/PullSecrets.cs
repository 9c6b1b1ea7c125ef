using ImageStreams.Model.Core;
using ImageStreams.Registry.Auth;
using ImageStreams.Resources;

namespace ImageStreams.Controllers.Import;

/// <summary>
/// Registry credentials of a namespace: every secret of type <c>kubernetes.io/dockerconfigjson</c> or
/// <c>kubernetes.io/dockercfg</c>, matched per registry and path, most specific first (not merely the first secret).
/// </summary>
public sealed class PullSecrets(IResourceClient<Secret> secrets)
{
    public async Task<ICredentialProvider> ForNamespaceAsync(string ns, CancellationToken cancellationToken)
    {
        var list = await secrets.ListAsync(ns, cancellationToken: cancellationToken).ConfigureAwait(false);
        var payloads = new List<ReadOnlyMemory<byte>>();
        foreach (var secret in list.Items.OrderBy(s => s.Metadata.Name, StringComparer.Ordinal))
        {
            var key = secret.Type switch
            {
                SecretTypes.DockerConfigJson => SecretTypes.DockerConfigJsonKey,
                SecretTypes.DockerCfg => SecretTypes.DockerCfgKey,
                _ => null,
            };
            if (key is not null && secret.Data?.TryGetValue(key, out var encoded) == true && TryDecode(encoded, out var bytes))
            {
                payloads.Add(bytes);
            }
        }
        if (payloads.Count == 0)
        {
            return DockerConfigCredentialProvider.Empty;
        }
        try
        {
            return DockerConfigCredentialProvider.FromSecrets(payloads);
        }
        catch (FormatException)
        {
            // One malformed secret must not block imports that need none: fall back to the readable ones.
            return DockerConfigCredentialProvider.FromSecrets(payloads.Where(Readable));
        }
    }

    private static bool Readable(ReadOnlyMemory<byte> payload)
    {
        try
        {
            DockerConfigCredentialProvider.FromJson(payload);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static bool TryDecode(string base64, out ReadOnlyMemory<byte> bytes)
    {
        try
        {
            bytes = Convert.FromBase64String(base64);
            return true;
        }
        catch (FormatException)
        {
            bytes = default;
            return false;
        }
    }
}
