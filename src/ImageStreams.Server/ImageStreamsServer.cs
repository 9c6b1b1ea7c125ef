using System.Net;
using System.Security.Cryptography.X509Certificates;
using ImageStreams.Builder;
using ImageStreams.Controllers;
using ImageStreams.Controllers.Builds;
using ImageStreams.Controllers.Import;
using ImageStreams.Distribution;
using ImageStreams.Distribution.Access;
using ImageStreams.Distribution.PullThrough;
using ImageStreams.Registry.Client;
using ImageStreams.Registry.Inspection;
using ImageStreams.Registry.Manifests;
using ImageStreams.Resources;
using ImageStreams.Server.Api;
using ImageStreams.Server.Builds;
using ImageStreams.Server.WebConsole;
using ImageStreams.Server.Metrics;
using ImageStreams.Server.Scheduling;
using ImageStreams.Server.Hosting;
using ImageStreams.Server.Security;
using ImageStreams.Store;
using ImageStreams.Store.Encryption;
using ImageStreams.Store.Sqlite;
using ImageStreams.Model.Meta;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace ImageStreams.Server;

/// <summary>The whole server in one process: the API, the registry and the controllers (import, tag tracking, builds).</summary>
public sealed partial class ImageStreamsServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly IObjectStore _store;
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _stopGate = new();
    private Task? _stopping;
    private int _disposed;

    private ImageStreamsServer(WebApplication app, IObjectStore store, Uri baseAddress, string adminToken, string? generatedCertificate)
    {
        _app = app;
        _store = store;
        BaseAddress = baseAddress;
        AdminToken = adminToken;
        GeneratedCertificatePath = generatedCertificate;
        app.Lifetime.ApplicationStopped.Register(() => _stopped.TrySetResult());
        // A signal (Ctrl-C, SIGTERM) only asks the host to stop; nobody else would then stop it.
        app.Lifetime.ApplicationStopping.Register(() => _ = StopOnceAsync());
    }

    /// <summary>The address clients use, such as http://127.0.0.1:8080/ (the real port when Listen asked for port 0).</summary>
    public Uri BaseAddress { get; }

    /// <summary>The admin's token (user system:admin), also in <c>&lt;data-dir&gt;/admin.token</c>.</summary>
    public string AdminToken { get; }

    /// <summary>Where the server keeps its data (<see cref="ServerOptions.DataDir"/>).</summary>
    public string DataDirectory { get; private init; } = "";

    /// <summary>The self-signed certificate the server made for TLS (a PEM file clients can trust), or null.</summary>
    public string? GeneratedCertificatePath { get; }

    /// <summary>Starts the server; returns once it accepts requests.</summary>
    public static Task<ImageStreamsServer> StartAsync(ServerOptions options, CancellationToken cancellationToken = default) =>
        StartAsync(options, null, cancellationToken);

    /// <summary>Starts the server with services of the caller's added after the defaults (an embedding process or a test replaces a part).</summary>
    public static async Task<ImageStreamsServer> StartAsync(ServerOptions options, Action<IServiceCollection>? configureServices, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (!ListenAddress.TryParse(options.Listen, out var listen))
        {
            throw new ArgumentException($"--listen must be host:port (got \"{options.Listen}\")");
        }
        Directory.CreateDirectory(options.DataDir);
        var sqlite = await SqliteObjectStore.OpenAsync(
            Path.Combine(options.DataDir, SqliteObjectStore.DefaultFileName),
            new SqliteStoreOptions { WatchHistory = options.WatchHistory },
            cancellationToken).ConfigureAwait(false);
        IObjectStore store = sqlite;
        WebApplication? app = null;
        try
        {
            // Secrets are encrypted at rest with a key kept beside the database (made on first start, owner-only).
            var encrypting = new EncryptingObjectStore(
                sqlite, EncryptionKey.LoadOrCreate(Path.Combine(options.DataDir, EncryptionKey.DefaultFileName)),
                [ResourceTypes.Secrets.GroupResource.ToString()]);
            store = encrypting;
            await encrypting.EncryptStoredAsync(cancellationToken).ConfigureAwait(false);
            var registryHost = new ServerRegistryHost(options);
            var certificate = ServerCertificate.Load(options, listen);
            app = Build(options, listen, store, registryHost, certificate?.Certificate, configureServices);
            await app.Services.GetRequiredService<ResourceSet>().InitializeAsync(cancellationToken).ConfigureAwait(false);
            var adminToken = await app.InitializeSecurityAsync(options.DataDir, cancellationToken).ConfigureAwait(false);
            await app.StartAsync(cancellationToken).ConfigureAwait(false);

            var bound = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
            var hostPort = listen.ClientHost(bound.Port);
            registryHost.SetListening(hostPort);
            var scheme = certificate is null ? "http" : "https";
            var server = new ImageStreamsServer(app, store, new Uri($"{scheme}://{hostPort}/"), adminToken, certificate?.GeneratedPath)
            {
                DataDirectory = options.DataDir,
            };
            var address = server.BaseAddress.ToString().TrimEnd('/');
            var dataDir = Path.GetFullPath(options.DataDir);
            LogListening(app.Logger, address, dataDir, registryHost.HostPort);
            return server;
        }
        catch
        {
            if (app is not null)
            {
                await app.DisposeAsync().ConfigureAwait(false);
            }
            await store.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The server's services, for in-process components and tests.</summary>
    internal IServiceProvider Services => _app.Services;

    /// <summary>Completes when the server has stopped (on a signal, or after <see cref="DisposeAsync"/>).</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => _stopped.Task.WaitAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        try
        {
            await StopOnceAsync().ConfigureAwait(false);
            await _app.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            await _store.DisposeAsync().ConfigureAwait(false);
            _stopped.TrySetResult();
        }
    }

    /// <summary>Stops the host once, whoever asks first (a signal or <see cref="DisposeAsync"/>).</summary>
    private Task StopOnceAsync()
    {
        lock (_stopGate)
        {
            // Run apart: stopping raises ApplicationStopping, whose callback comes back here.
            return _stopping ??= Task.Run(() => _app.StopAsync());
        }
    }

    private static WebApplication Build(
        ServerOptions options, ListenAddress listen, IObjectStore store, IRegistryHost registryHost, X509Certificate2? certificate,
        Action<IServiceCollection>? configureServices)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [],
            ApplicationName = typeof(ImageStreamsServer).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(listen.Address, listen.Port, endpoint =>
            {
                if (certificate is not null)
                {
                    endpoint.UseHttps(certificate);
                }
            });
            // The API enforces MaxRequestBodyBytes itself (with a Status body); registry uploads will be far larger.
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.AddServerHeader = false;
        });
        builder.Logging.ClearProviders();
        // One line per entry with control characters escaped: user input in a message cannot forge further lines.
        builder.Logging.AddConsole(console => console.FormatterName = EscapingConsoleFormatter.Name)
            .AddConsoleFormatter<EscapingConsoleFormatter, ConsoleFormatterOptions>();
        // Concise by default: the server's own messages, and only warnings from the framework (no per-request lines).
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        builder.Logging.AddFilter("System", LogLevel.Warning);
        builder.Services.Configure<ConsoleLifetimeOptions>(lifetime => lifetime.SuppressStatusMessages = true);
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(5));

        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(store);
        builder.Services.AddSingleton(registryHost);
        builder.Services.AddImageStreamsResources();
        builder.Services.AddImageStreamsControllers(
            new ImportOptions { MaxRepositoryTags = options.MaxRepositoryTags },
            new RegistryClientOptions
            {
                CaBundlePath = string.IsNullOrEmpty(options.RegistryCaBundle) ? null : options.RegistryCaBundle,
                AccessPolicy = options.AccessPolicy(),
            },
            new ImageInspectorOptions { DefaultPlatform = string.IsNullOrEmpty(options.ImportPlatform) ? null : Platform.Parse(options.ImportPlatform) },
            options.ScheduledImport);
        builder.Services.AddImageStreamsSecurity(options);
        builder.Services.AddBuildTriggers(options.Triggers);
        var buildOptions = new BuildOptions
        {
            MaxConcurrentBuilds = options.MaxConcurrentBuilds,
            Directory = Path.Combine(options.DataDir, "builds"),
        };
        builder.Services.AddImageBuilders(new BuilderOptions { WorkDirectory = Path.Combine(options.DataDir, "builder") });
        builder.Services.AddSingleton<IBuildRegistryCredentials, ServiceIdentityBuildCredentials>();
        builder.Services.AddImageStreamsBuilds(buildOptions);
        builder.Services.AddImageStreamsApi();
        builder.Services.AddImageStreamsBuildsApi();
        builder.Services.AddSingleton<IUpstreamCredentials>(sp => new PullSecretCredentials(new PullSecrets(sp.GetRequiredService<ResourceSet>().Secrets)));
        builder.Services.AddImageStreamsDistribution(new DistributionOptions
        {
            RootDirectory = Path.Combine(options.DataDir, "registry"),
            MaxManifestBytes = options.RegistryMaxManifestBytes,
            MaxBlobBytes = options.RegistryMaxBlobBytes,
            MaxOpenUploads = options.RegistryMaxUploads,
            UploadExpiry = TimeSpan.FromMinutes(options.RegistryUploadExpiryMinutes),
            TokenRealmPath = TokenEndpoint.Path,
        });
        configureServices?.Invoke(builder.Services);

        var app = builder.Build();
        // The registry answers /v2 before the API's middleware, so its errors stay the distribution spec's.
        app.MapImageStreamsDistribution();
        app.UseImageStreamsApi();
        app.MapImageStreamsMetrics();
        app.MapImageStreamSchedules();
        TokenEndpoint.Map(app);
        app.MapImageStreamsConsole();
        return app;
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "ImageStreams API on {Address}, data in {DataDir}, registry host {RegistryHost}")]
    private static partial void LogListening(ILogger logger, string address, string dataDir, string registryHost);
}
