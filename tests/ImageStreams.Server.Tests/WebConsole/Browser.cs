using Microsoft.Playwright;

namespace ImageStreams.Server.Tests.WebConsole;

/// <summary>One headless Debian chromium for the console's tests, driven by Playwright; each test opens its own context.</summary>
public sealed class Browser : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public IBrowser Chromium { get; private set; } = null!;

    /// <summary>Where the tests leave screenshots of the main pages (linked from the README through docs/console).</summary>
    public static string ScreenshotDirectory { get; } = Path.Combine(RepositoryRoot(), ".build", "screenshots");

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"{ChromiumPath} is missing: install Debian's chromium package (./test.sh does)");
        }
        _playwright = await Playwright.CreateAsync();
        Chromium = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args =
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
            ],
        });
        Directory.CreateDirectory(ScreenshotDirectory);
    }

    public async Task DisposeAsync()
    {
        if (Chromium is not null)
        {
            await Chromium.DisposeAsync();
        }
        _playwright?.Dispose();
    }

    /// <summary>
    /// A fresh page (own storage) on <paramref name="server"/>, at laptop size unless told otherwise, signed in as the
    /// admin unless <paramref name="signedIn"/> is false.
    /// </summary>
    public async Task<IPage> OpenAsync(Support.TestServer server, int width = 1280, int height = 860, bool signedIn = true)
    {
        var context = await Chromium.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = server.Server.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = height },
        });
        context.SetDefaultTimeout(15_000);
        if (signedIn)
        {
            await context.AddInitScriptAsync($"localStorage.setItem('imagestreams.token', '{server.Server.AdminToken}');");
        }
        return await context.NewPageAsync();
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "ImageStreams.slnx")))
            {
                return directory.FullName;
            }
        }
        return Path.GetTempPath();
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<Browser>
{
    public const string Name = "browser";
}
