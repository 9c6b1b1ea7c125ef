namespace ImageStreams.Registry.Auth;

/// <summary>
/// Credentials of the server's own service identity for its integrated registry, for in-process clients (a build that
/// pushes its output to <c>&lt;server&gt;/&lt;namespace&gt;/&lt;stream&gt;:&lt;tag&gt;</c>). <see cref="ICredentialProvider.Resolve"/>
/// answers for <see cref="RegistryHost"/> only (null for any other registry), so it composes with namespace pull secrets.
/// The token behind it is short-lived and renewed by the server before it expires; resolve it for each use, never keep it.
/// </summary>
public interface IIntegratedRegistryCredentials : ICredentialProvider
{
    /// <summary>The registry's host:port, as in <c>status.dockerImageRepository</c>.</summary>
    string RegistryHost { get; }
}
