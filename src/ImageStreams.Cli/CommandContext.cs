using System.CommandLine;
using ImageStreams.Cli.Api;
using ImageStreams.Cli.Config;
using ImageStreams.Cli.Resources;
using ImageStreams.Model.Core;

namespace ImageStreams.Cli;

/// <summary>
/// One command's view of where to send requests: the global flags resolved against the environment and
/// the config file (flag, then environment variable, then config file, then default).
/// </summary>
internal sealed class CommandContext : IDisposable
{
    private ApiClient? api;

    private CommandContext(CliHost host, string server, string ns, bool namespaceFromFlag, string? token, string configPath, CliConfig config)
    {
        Host = host;
        Server = server;
        Namespace = ns;
        NamespaceFromFlag = namespaceFromFlag;
        Token = token;
        ConfigPath = configPath;
        Config = config;
    }

    public CliHost Host { get; }
    public TextWriter Out => Host.Out;
    public TextWriter Error => Host.Error;
    public DateTimeOffset Now => Host.Time.GetUtcNow();

    /// <summary>The server's base URL without a trailing slash, such as http://127.0.0.1:8080.</summary>
    public string Server { get; }
    public string Namespace { get; }

    /// <summary>True when -n was given: then a document naming another namespace is an error, as in kubectl.</summary>
    public bool NamespaceFromFlag { get; }
    public string? Token { get; }
    public string ConfigPath { get; }
    public CliConfig Config { get; }

    public ApiClient Api => api ??= new ApiClient(Server, Token, certificateAuthority: Config.CertificateAuthority);

    public static CommandContext Resolve(CliHost host, ParseResult parse)
    {
        var globals = host.Globals;
        var configPath = CliConfig.PathFrom(host.Env);
        var config = CliConfig.Load(configPath);
        var server = NormalizeServer(
            NonEmpty(parse.GetValue(globals.Server)) ?? host.Env(GlobalOptions.ServerVariable) ?? NonEmpty(config.Server) ?? GlobalOptions.DefaultServer);
        var flagNamespace = NonEmpty(parse.GetValue(globals.Namespace));
        var ns = flagNamespace ?? NonEmpty(config.Namespace) ?? CoreApi.DefaultNamespace;
        var token = NonEmpty(parse.GetValue(globals.Token)) ?? host.Env(GlobalOptions.TokenVariable) ?? NonEmpty(config.Token);
        return new CommandContext(host, server, ns, flagNamespace is not null, token, configPath, config);
    }

    /// <summary>Accepts "host:port" as well as a URL, as kubectl does.</summary>
    public static string NormalizeServer(string value)
    {
        var text = value.Contains("://", StringComparison.Ordinal) ? value : "http://" + value;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) ||
            string.IsNullOrEmpty(uri.Host))
        {
            throw new CliException($"invalid server address \"{value}\": want a URL such as {GlobalOptions.DefaultServer}");
        }
        return text.TrimEnd('/');
    }

    /// <summary>
    /// Where an object read from a file goes: its own metadata.namespace, else -n or the config's. As in kubectl, a file
    /// naming another namespace than an explicit -n is refused rather than silently redirected.
    /// </summary>
    public string? NamespaceFor(Manifest manifest)
    {
        if (!manifest.Type.Namespaced)
        {
            return null;
        }
        var own = string.IsNullOrEmpty(manifest.Namespace) ? null : manifest.Namespace;
        if (own is not null && NamespaceFromFlag && own != Namespace)
        {
            throw new CliException(
                $"the namespace from the provided object \"{own}\" does not match the namespace \"{Namespace}\"; pass '--namespace={own}' to apply it there");
        }
        return own ?? Namespace;
    }

    public void Dispose() => api?.Dispose();

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
