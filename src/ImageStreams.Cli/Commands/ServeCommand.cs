using System.CommandLine;
using ImageStreams.Cli.Config;
using ImageStreams.Controllers.Scheduling;
using ImageStreams.Controllers.Triggers;
using ImageStreams.Server;

namespace ImageStreams.Cli.Commands;

/// <summary><c>isctl serve</c>: runs the whole server in this process until Ctrl-C or SIGTERM.</summary>
internal static class ServeCommand
{
    public static Command Create(CliHost host)
    {
        // Defaults come from ServerOptions, so the flags and the server cannot disagree.
        var defaults = new ServerOptions();
        var listen = new Option<string>("--listen")
        {
            Description = "Address and port to listen on (port 0 picks a free port)",
            DefaultValueFactory = _ => defaults.Listen,
        };
        var dataDir = new Option<string>("--data-dir")
        {
            Description = "Directory of the store and registry data",
            DefaultValueFactory = _ => defaults.DataDir,
        };
        var maxRequestBytes = new Option<long>("--max-request-bytes")
        {
            Description = "Largest request body the API accepts, in bytes",
            DefaultValueFactory = _ => defaults.MaxRequestBodyBytes,
        };
        var registryHostname = new Option<string?>("--registry-hostname")
        {
            Description = "host:port put in status.dockerImageRepository (default: the address the server listens on)",
        };
        var watchHistory = new Option<int>("--watch-history")
        {
            Description = "How many store events a watch can resume from",
            DefaultValueFactory = _ => defaults.WatchHistory,
        };
        var maxRepositoryTags = new Option<int>("--max-repository-tags")
        {
            Description = "How many tags `import-image --all` imports; the rest are reported (-1: no limit)",
            DefaultValueFactory = _ => defaults.MaxRepositoryTags,
        };
        var importPlatform = new Option<string?>("--import-platform")
        {
            Description = "os/arch[/variant] a Legacy import picks from a multi-arch image when the tag prefers none (default linux/amd64)",
        };
        var registryCaBundle = new Option<string?>("--registry-ca-bundle")
        {
            Description = "PEM file of extra certificate authorities trusted for registries",
        };
        var registryMaxManifestBytes = new Option<long>("--registry-max-manifest-bytes")
        {
            Description = "Largest manifest the registry accepts on push, in bytes",
            DefaultValueFactory = _ => defaults.RegistryMaxManifestBytes,
        };
        var registryMaxBlobBytes = new Option<long>("--registry-max-blob-bytes")
        {
            Description = "Largest blob (layer) the registry accepts on push, in bytes (0: no limit)",
            DefaultValueFactory = _ => defaults.RegistryMaxBlobBytes,
        };
        var registryMaxUploads = new Option<int>("--registry-max-uploads")
        {
            Description = "Blob uploads the registry keeps open at once; more are refused with TOOMANYREQUESTS",
            DefaultValueFactory = _ => defaults.RegistryMaxUploads,
        };
        var registryUploadExpiry = new Option<int>("--registry-upload-expiry-minutes")
        {
            Description = "Minutes an upload may stay untouched before the registry deletes it as abandoned",
            DefaultValueFactory = _ => defaults.RegistryUploadExpiryMinutes,
        };
        var htpasswdFile = new Option<string?>("--htpasswd-file")
        {
            Description = "htpasswd file of bcrypt hashes (htpasswd -B) whose users log in with isctl login -u/-p and --creds user:password",
        };
        var tokenLifetime = DurationOption("--token-lifetime", "How long a token made by a login works", defaults.TokenLifetime);
        var tlsCert = new Option<string?>("--tls-cert-file")
        {
            Description = "PEM certificate to serve HTTPS with (default: plain HTTP on loopback, else a self-signed one in <data-dir>/tls)",
        };
        var tlsKey = new Option<string?>("--tls-private-key-file") { Description = "PEM private key of --tls-cert-file" };
        var tls = new Option<bool>("--tls")
        {
            Description = "Serve HTTPS on loopback too (kubectl sends tokens over HTTPS only), with a self-signed certificate unless --tls-cert-file",
        };
        var writeConfig = new Option<bool>("--write-client-config")
        {
            Description = "Save the admin's login in the isctl config file ($ISCTL_CONFIG or ~/.config/isctl/config.json) unless it holds another server's login",
            DefaultValueFactory = _ => true,
        };
        var allowedRegistries = new Option<string?>("--allowed-registries-for-import")
        {
            Description = "Registries images may come from, comma separated host[:port][/path], *.example.com for subdomains (default: all not blocked)",
        };
        var blockedRegistries = new Option<string?>("--blocked-registries")
        {
            Description = "Registries never reached, not even through a token realm or a redirect (comma separated host[:port][/path])",
        };
        var insecureRegistries = new Option<string?>("--insecure-registries")
        {
            Description = "Registries besides loopback that imports marked insecure may reach over plain HTTP or unverified TLS",
        };
        var maxConcurrentBuilds = new Option<int>("--max-concurrent-builds")
        {
            Description = "Builds running at once; more wait as Pending",
            DefaultValueFactory = _ => defaults.MaxConcurrentBuilds,
        };
        var maxBuildInputBytes = new Option<long>("--max-build-input-bytes")
        {
            Description = "Largest binary build input (start-build --from-dir/--from-file/--from-archive) accepted, in bytes",
            DefaultValueFactory = _ => defaults.MaxBuildInputBytes,
        };
        var triggerWorkers = new Option<int>("--trigger-workers")
        {
            Description = "BuildConfigs the image change trigger controller syncs at once",
            DefaultValueFactory = _ => defaults.Triggers.Workers,
        };
        var schedule = defaults.ScheduledImport;
        var scheduledInterval = DurationOption("--scheduled-import-interval",
            "How often each scheduled tag is checked, such as 15m, 1h or 2s (at least 1s)", schedule.Interval);
        var disableScheduled = new Option<bool>("--disable-scheduled-import")
        {
            Description = "Do not check scheduled tags (imports on demand still work)",
        };
        var scheduledPerMinute = new Option<int>("--scheduled-import-max-per-minute")
        {
            Description = "Scheduled checks started per minute over all registries; more wait, none is skipped",
            DefaultValueFactory = _ => schedule.MaxChecksPerMinute,
        };
        var scheduledConcurrency = new Option<int>("--scheduled-import-concurrency")
        {
            Description = "Scheduled checks in flight at once over all registries",
            DefaultValueFactory = _ => schedule.MaxConcurrentChecks,
        };
        var registryConcurrency = new Option<int>("--scheduled-import-registry-concurrency")
        {
            Description = "Scheduled checks in flight at once to one registry",
            DefaultValueFactory = _ => schedule.MaxConcurrentChecksPerRegistry,
        };
        var registryRate = new Option<double>("--scheduled-import-registry-rate")
        {
            Description = "Scheduled checks started per second to one registry",
            DefaultValueFactory = _ => schedule.MaxChecksPerSecondPerRegistry,
        };
        var backoff = DurationOption("--scheduled-import-backoff",
            "Wait before retrying a failed check; it doubles with each failure in a row", schedule.InitialBackoff);
        var maxBackoff = DurationOption("--scheduled-import-max-backoff", "Longest wait between retries of a failing tag", schedule.MaxBackoff);
        var command = new DocumentedCommand("serve", "Run the ImageStreams server: the API, registry and controllers on one port.", """
            Examples:
              # Serve on http://127.0.0.1:8080 with data under ./.data
              isctl serve

              # Serve on all interfaces (HTTPS: a self-signed certificate is made in <data-dir>/tls), with htpasswd users
              isctl serve --listen 0.0.0.0:8443 --data-dir /var/lib/imagestreams --registry-hostname registry.example.com:8443 \
                --htpasswd-file /etc/imagestreams/htpasswd

              # Import only from Red Hat's and the company's registries, never from one internal host
              isctl serve --allowed-registries-for-import=registry.redhat.io,*.corp.example.com --blocked-registries=build.corp.example.com

            Every request needs a token (or an htpasswd user's password). The admin's token is made on first start in
            <data-dir>/admin.token, and saved with the server's address in the isctl config file, so the next
            `isctl get is` in another shell just works.
            """)
        {
            listen, dataDir, maxRequestBytes, registryHostname, watchHistory, maxRepositoryTags, importPlatform, registryCaBundle,
            scheduledInterval, disableScheduled, scheduledPerMinute, scheduledConcurrency, registryConcurrency, registryRate, backoff, maxBackoff,
            registryMaxManifestBytes, registryMaxBlobBytes, registryMaxUploads, registryUploadExpiry, allowedRegistries, blockedRegistries, insecureRegistries,
            htpasswdFile, tokenLifetime, tlsCert, tlsKey, tls, writeConfig, maxConcurrentBuilds, maxBuildInputBytes, triggerWorkers,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var options = new ServerOptions
            {
                Listen = parse.GetValue(listen)!,
                DataDir = parse.GetValue(dataDir)!,
                MaxRequestBodyBytes = parse.GetValue(maxRequestBytes),
                RegistryHostname = parse.GetValue(registryHostname),
                WatchHistory = parse.GetValue(watchHistory),
                MaxRepositoryTags = parse.GetValue(maxRepositoryTags),
                ImportPlatform = parse.GetValue(importPlatform),
                RegistryCaBundle = parse.GetValue(registryCaBundle),
                ScheduledImport = new ScheduledImportOptions
                {
                    Enabled = !parse.GetValue(disableScheduled),
                    Interval = parse.GetValue(scheduledInterval),
                    MaxChecksPerMinute = parse.GetValue(scheduledPerMinute),
                    MaxConcurrentChecks = parse.GetValue(scheduledConcurrency),
                    MaxConcurrentChecksPerRegistry = parse.GetValue(registryConcurrency),
                    MaxChecksPerSecondPerRegistry = parse.GetValue(registryRate),
                    InitialBackoff = parse.GetValue(backoff),
                    MaxBackoff = parse.GetValue(maxBackoff),
                },
                RegistryMaxManifestBytes = parse.GetValue(registryMaxManifestBytes),
                RegistryMaxBlobBytes = parse.GetValue(registryMaxBlobBytes),
                RegistryMaxUploads = parse.GetValue(registryMaxUploads),
                RegistryUploadExpiryMinutes = parse.GetValue(registryUploadExpiry),
                HtpasswdFile = parse.GetValue(htpasswdFile),
                TokenLifetime = parse.GetValue(tokenLifetime),
                TlsCertFile = parse.GetValue(tlsCert),
                TlsPrivateKeyFile = parse.GetValue(tlsKey),
                Tls = parse.GetValue(tls),
                AllowedRegistriesForImport = parse.GetValue(allowedRegistries),
                BlockedRegistries = parse.GetValue(blockedRegistries),
                InsecureRegistries = parse.GetValue(insecureRegistries),
                MaxConcurrentBuilds = parse.GetValue(maxConcurrentBuilds),
                MaxBuildInputBytes = parse.GetValue(maxBuildInputBytes),
                Triggers = new TriggerOptions { Workers = parse.GetValue(triggerWorkers) },
            };
            return await RunAsync(host, options, parse.GetValue(writeConfig), cancellationToken);
        });
        return command;
    }

    /// <summary>
    /// Saves the admin's login for the user running the server (as k3s writes its kubeconfig), unless the config file holds
    /// a login to another server, which is left alone.
    /// </summary>
    private static string SaveAdminLogin(CliHost host, ImageStreamsServer server, string address)
    {
        var path = CliConfig.PathFrom(host.Env);
        var tokenFile = Path.Combine(Path.GetFullPath(server.DataDirectory), "admin.token");
        CliConfig config;
        try
        {
            config = CliConfig.Load(path);
        }
        catch (CliException e)
        {
            return $"isctl: the admin login was not saved ({e.Message}); the admin's token is in {tokenFile}";
        }
        if (config.Token is not null && config.Server is not null && config.Server != address)
        {
            return $"isctl: {path} holds a login to {config.Server}; log in here with: isctl login {address} --token \"$(cat {tokenFile})\"";
        }
        (config with
        {
            Server = address,
            Token = server.AdminToken,
            CertificateAuthority = server.GeneratedCertificatePath ?? (config.Server == address ? config.CertificateAuthority : null),
        }).Save(path);
        return $"isctl: logged in as system:admin in {path}";
    }

    /// <summary>A duration flag written as Go writes durations (15m, 1h30m, 2s).</summary>
    private static Option<TimeSpan> DurationOption(string name, string description, TimeSpan defaultValue) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
            if (Durations.TryParse(text, out var duration, out var error))
            {
                return duration;
            }
            result.AddError($"{name}: {error}");
            return defaultValue;
        },
    };

    private static async Task<int> RunAsync(CliHost host, ServerOptions options, bool writeConfig, CancellationToken cancellationToken)
    {
        await using var server = await ImageStreamsServer.StartAsync(options, cancellationToken);
        var address = server.BaseAddress.ToString().TrimEnd('/');
        host.Out.WriteLine($"isctl: serving on {address} (data in {Path.GetFullPath(options.DataDir)}); Ctrl-C stops");
        if (server.GeneratedCertificatePath is { } certificate)
        {
            host.Out.WriteLine($"isctl: HTTPS with a self-signed certificate; clients trust it with --certificate-authority={certificate}");
        }
        if (writeConfig)
        {
            host.Out.WriteLine(SaveAdminLogin(host, server, address));
        }
        host.Out.Flush();
        // Ctrl-C or SIGTERM (the token) is the normal way to stop; the server may also stop by itself.
        var stopped = server.WaitForShutdownAsync(cancellationToken);
        if (await Task.WhenAny(stopped, Task.Delay(Timeout.Infinite, cancellationToken)) == stopped && !cancellationToken.IsCancellationRequested)
        {
            await stopped;
        }
        host.Out.WriteLine("isctl: stopped");
        return 0;
    }
}
