using System.Diagnostics;
using System.Globalization;
using System.Text;
using ImageStreams.Testing.Processes;

namespace ImageStreams.Testing.Registry;

/// <summary>
/// Debian's docker-registry (distribution 2.8) on 127.0.0.1, a free port and a private temp directory, with
/// its own config (delete enabled), optionally behind htpasswd or token auth. Disposing kills it and
/// deletes its storage.
/// </summary>
public sealed class DockerRegistryPeer : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(15);

    private readonly TempDirectory directory;
    private readonly Process process;
    private readonly StringBuilder log;

    private DockerRegistryPeer(TempDirectory directory, Process process, StringBuilder log, int port)
    {
        this.directory = directory;
        this.process = process;
        this.log = log;
        Port = port;
    }

    public int Port { get; }

    /// <summary><c>127.0.0.1:port</c>, the registry part of image references.</summary>
    public string Host => $"127.0.0.1:{Port}";

    public Uri BaseUri => new($"http://{Host}/");

    /// <summary>The registry's storage root.</summary>
    public string DataDirectory => directory.Combine("data");

    /// <summary>What the registry printed so far.</summary>
    public string Log
    {
        get
        {
            lock (log)
            {
                return log.ToString();
            }
        }
    }

    /// <summary>A registry that needs no credentials.</summary>
    public static Task<DockerRegistryPeer> StartAsync() => StartAsync(_ => Task.FromResult(""));

    /// <summary>A registry behind htpasswd Basic auth (bcrypt, as distribution requires).</summary>
    public static Task<DockerRegistryPeer> StartWithBasicAuthAsync(string username, string password) =>
        StartAsync(async dir =>
        {
            var entry = await ProcessRunner.RunCheckedAsync("htpasswd", ["-Bbn", username, password]);
            var path = Path.Combine(dir, "htpasswd");
            await File.WriteAllTextAsync(path, entry.StandardOutput.Trim() + "\n");
            return $"auth:\n  htpasswd:\n    realm: basic-realm\n    path: {path}\n";
        });

    /// <summary>A registry that trusts tokens of <paramref name="issuer"/>.</summary>
    public static Task<DockerRegistryPeer> StartWithTokenAuthAsync(TestTokenIssuer issuer) =>
        StartAsync(_ => Task.FromResult(
            "auth:\n  token:\n" +
            $"    realm: {issuer.Realm}\n    service: {TestTokenIssuer.Service}\n" +
            $"    issuer: {TestTokenIssuer.Issuer}\n    rootcertbundle: {issuer.CertificatePath}\n"));

    public ValueTask DisposeAsync()
    {
        ProcessRunner.Stop(process);
        process.Dispose();
        directory.Dispose();
        return ValueTask.CompletedTask;
    }

    private static async Task<DockerRegistryPeer> StartAsync(Func<string, Task<string>> authSection)
    {
        var directory = new TempDirectory("docker-registry");
        try
        {
            var auth = await authSection(directory.Path);
            // A port can be taken between choosing and binding it; a few tries make that harmless.
            for (var attempt = 1; ; attempt++)
            {
                var port = FreePort.Next();
                var config = directory.Combine("config.yml");
                await File.WriteAllTextAsync(config, Config(directory.Combine("data"), port, auth));
                var log = new StringBuilder();
                var process = ProcessRunner.Start("docker-registry", ["serve", config], directory.Path, line =>
                {
                    lock (log)
                    {
                        log.AppendLine(line);
                    }
                });
                var peer = new DockerRegistryPeer(directory, process, log, port);
                if (await peer.WaitUntilServingAsync())
                {
                    return peer;
                }
                ProcessRunner.Stop(process);
                process.Dispose();
                if (attempt == 3)
                {
                    throw new InvalidOperationException($"docker-registry did not start on port {port}: {peer.Log}");
                }
            }
        }
        catch
        {
            directory.Dispose();
            throw;
        }
    }

    private async Task<bool> WaitUntilServingAsync()
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + StartTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                return false;
            }
            try
            {
                using var response = await client.GetAsync(new Uri(BaseUri, "v2/"));
                if (response.Headers.Contains("Docker-Distribution-Api-Version"))
                {
                    return true;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(25);
        }
        return false;
    }

    private static string Config(string dataDirectory, int port, string auth) =>
        string.Create(CultureInfo.InvariantCulture, $"""
            version: 0.1
            log:
              level: warn
              accesslog:
                disabled: true
            storage:
              filesystem:
                rootdirectory: {dataDirectory}
              delete:
                enabled: true
              maintenance:
                uploadpurging:
                  enabled: false
            http:
              addr: 127.0.0.1:{port}
              secret: imagestreams-test-secret

            """) + auth;
}
