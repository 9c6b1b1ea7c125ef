using System.Net;
using System.Text.Json.Nodes;
using ImageStreams.Server.Tests.Support;
using ImageStreams.Testing.Registry;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ImageStreams.Server.Tests.WebConsole;

/// <summary>The console in headless chromium against a real server and Debian's docker-registry: what a user clicks.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ConsolePageTests(Browser browser)
{
    [Fact]
    public async Task TheProjectsPage_ShowsANewProject_WithoutReloading()
    {
        await using var server = await TestServer.StartAsync();
        var page = await browser.OpenAsync(server);

        await page.GotoAsync("/console/");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Projects", Exact = true })).ToBeVisibleAsync();
        await Expect(page.Locator("#live")).ToHaveTextAsync("Live");
        await server.CreateNamespaceAsync("team-a");

        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "team-a" })).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(Browser.ScreenshotDirectory, "projects.png"), FullPage = true });
    }

    [Fact]
    public async Task WithoutAToken_TheConsoleAsksForOne_AndRefusesAWrongOne()
    {
        await using var server = await TestServer.StartAsync();
        var page = await browser.OpenAsync(server, signedIn: false);

        await page.GotoAsync("/console/");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
        await page.GetByLabel("Token").FillAsync("sha256~not-a-real-token");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("did not accept the token");

        await page.GetByLabel("Token").FillAsync(server.Server.AdminToken);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "default" })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task AViewer_OpensTheirProjectByName_AndIsToldWhatTheyMayNotDo()
    {
        var secured = new Security.SecuredServer();
        await secured.InitializeAsync();
        try
        {
            var bob = await secured.LoginAsync("bob");
            var page = await browser.OpenAsync(secured.Server, signedIn: false);
            await page.GotoAsync("/console/");
            await page.GetByLabel("Token").FillAsync(bob);
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

            await Expect(page.GetByText("Your user may not list every project.")).ToBeVisibleAsync();
            await page.GetByRole(AriaRole.Textbox, new() { Name = "Project", Exact = true }).FillAsync("team-a");
            await page.GetByRole(AriaRole.Button, new() { Name = "Open" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Image streams in team-a" })).ToBeVisibleAsync();
            await Expect(page.GetByText("No image streams here yet.", new() { Exact = false })).ToBeVisibleAsync();

            await page.GetByLabel("Image", new() { Exact = true }).FillAsync("127.0.0.1:1/library/httpd:latest");
            await page.GetByLabel("Image stream").FillAsync("httpd");
            await page.GetByRole(AriaRole.Button, new() { Name = "Import", Exact = true }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("403 Forbidden");
        }
        finally
        {
            await secured.DisposeAsync();
        }
    }

    [Fact]
    public async Task ANewProject_IsCreatedFromTheForm_AndABadNameShowsTheServersMessage()
    {
        await using var server = await TestServer.StartAsync();
        var page = await browser.OpenAsync(server);
        await page.GotoAsync("/console/");

        await page.GetByLabel("Name").FillAsync("web-team");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create project" }).ClickAsync();
        await Expect(page.GetByText("Project web-team created.")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "web-team" })).ToBeVisibleAsync();
        Assert.Equal(HttpStatusCode.OK, (await server.GetAsync("/api/v1/namespaces/web-team")).Status);

        // The browser's own pattern check is bypassed so the server's answer is what the user sees.
        await page.EvalOnSelectorAsync("input[name=name]", "e => e.removeAttribute('pattern')");
        await page.GetByLabel("Name").FillAsync("Bad_Name");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create project" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Bad_Name");
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("422");
    }

    [Fact]
    public async Task ImportingFromTheForm_ShowsTheHistory_AndImportNowAddsTheNewImage()
    {
        await using var registry = await DockerRegistryPeer.StartAsync();
        using var images = new TestImages();
        var first = await images.BuildAsync("v1", new TestImageSpec { Labels = new Dictionary<string, string> { ["release"] = "1" } });
        await images.PushAsync("v1", $"{registry.Host}/library/httpd:latest");
        await using var server = await TestServer.StartAsync();
        await server.CreateNamespaceAsync("shop");
        var page = await browser.OpenAsync(server);

        await page.GotoAsync("/console/#/ns/shop");
        await Expect(page.GetByText("No image streams here yet.", new() { Exact = false })).ToBeVisibleAsync();
        await page.GetByLabel("Image", new() { Exact = true }).FillAsync($"{registry.Host}/library/httpd:latest");
        await page.GetByLabel("Image stream").FillAsync("httpd");
        await page.GetByLabel("Import periodically").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Import", Exact = true }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "httpd", Exact = true })).ToBeVisibleAsync();
        var history = page.GetByRole(AriaRole.List, new() { Name = "History of latest" }).Locator("li");
        await Expect(history).ToHaveCountAsync(1);
        await Expect(history.First).ToContainTextAsync(first[..19]);
        await Expect(page.Locator("[data-tag=latest] .tag-source")).ToHaveTextAsync($"updates automatically from registry {registry.Host}/library/httpd:latest");
        await Expect(page.Locator("[data-tag=latest] .schedule")).ToContainTextAsync("next check in");

        var second = await images.BuildAsync("v2", new TestImageSpec { Labels = new Dictionary<string, string> { ["release"] = "2" } });
        await images.PushAsync("v2", $"{registry.Host}/library/httpd:latest");
        await page.GetByRole(AriaRole.Button, new() { Name = "Import latest now" }).ClickAsync();

        await Expect(history).ToHaveCountAsync(2);
        await Expect(history.First).ToContainTextAsync(second[..19]);
        await Expect(page.Locator("[data-tag=latest] .notice")).ToHaveTextAsync($"Imported httpd:latest: {second[..19]}.");
        await Expect(history.Nth(1)).ToContainTextAsync(first[..19]);
        await page.ScreenshotAsync(new() { Path = Path.Combine(Browser.ScreenshotDirectory, "image-stream.png"), FullPage = true });

        await page.GotoAsync("/console/#/ns/shop");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "httpd" })).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(Browser.ScreenshotDirectory, "image-streams.png"), FullPage = true });
    }

    [Fact]
    public async Task TheImagePage_ShowsLayersLabelsAndEnvironment()
    {
        await using var registry = await DockerRegistryPeer.StartAsync();
        using var images = new TestImages();
        var digest = await images.BuildAsync("v1", new TestImageSpec
        {
            Labels = new Dictionary<string, string> { ["org.opencontainers.image.title"] = "web" },
            Env = ["PATH=/bin", "GREETING=hello world"],
            Cmd = ["/bin/httpd", "-f"],
            WorkingDir = "/srv",
            ExposedPorts = ["8080/tcp"],
        });
        await images.PushAsync("v1", $"{registry.Host}/library/web:1.0");
        await using var server = await TestServer.StartAsync();
        await ImportAsync(server, "web", "1.0", $"{registry.Host}/library/web:1.0");
        var page = await browser.OpenAsync(server);

        await page.GotoAsync("/console/#/ns/default/is/web");
        await page.GetByRole(AriaRole.Link, new() { Name = digest[..19] }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"web@{digest[..19]}" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Layers (1)" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "org.opencontainers.image.title" })).ToContainTextAsync("web");
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "GREETING" })).ToContainTextAsync("hello world");
        await Expect(page.Locator("dl.facts")).ToContainTextAsync("linux/amd64");
        await Expect(page.Locator("dl.facts")).ToContainTextAsync("8080/tcp");
        await Expect(page.Locator("dl.facts")).ToContainTextAsync("/srv");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Browser.ScreenshotDirectory, "image.png"), FullPage = true });
    }

    [Fact]
    public async Task AFailingImport_IsShownOnTheListAndTheTag()
    {
        await using var registry = await DockerRegistryPeer.StartAsync();
        await using var server = await TestServer.StartAsync();
        await ImportAsync(server, "ghost", "latest", $"{registry.Host}/nobody/ghost:latest");
        var page = await browser.OpenAsync(server);

        await page.GotoAsync("/console/#/ns/default");
        await Expect(page.GetByText("1 import error")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "ghost" }).ClickAsync();

        var alert = page.Locator("[data-tag=latest]").GetByRole(AriaRole.Alert);
        await Expect(alert).ToContainTextAsync("Import failed (NotFound)");
        await Expect(page.Locator("[data-tag=latest]")).ToContainTextAsync("No image yet.");
    }

    [Fact]
    public async Task ATagAddedFromTheForm_TracksAnotherTag()
    {
        await using var registry = await DockerRegistryPeer.StartAsync();
        using var images = new TestImages();
        var digest = await images.BuildAsync("v1");
        await images.PushAsync("v1", $"{registry.Host}/library/app:latest");
        await using var server = await TestServer.StartAsync();
        await ImportAsync(server, "app", "latest", $"{registry.Host}/library/app:latest");
        var page = await browser.OpenAsync(server);
        await page.GotoAsync("/console/#/ns/default/is/app");

        var form = page.GetByRole(AriaRole.Form, new() { Name = "Add or change a tag" });
        await form.GetByLabel("Tag", new() { Exact = true }).FillAsync("stable");
        await form.GetByLabel("Source").FillAsync("app:latest");
        await form.GetByLabel("Kind").SelectOptionAsync("ImageStreamTag");
        await form.GetByRole(AriaRole.Button, new() { Name = "Save tag" }).ClickAsync();

        await Expect(page.Locator("[data-tag=stable] .tag-source")).ToHaveTextAsync("tracks app:latest");
        await Expect(page.GetByRole(AriaRole.List, new() { Name = "History of stable" }).Locator("li").First).ToContainTextAsync(digest[..19]);
    }

    [Fact]
    public async Task AtPhoneWidth_NothingScrollsSideways_AndTheKeyboardReachesTheContent()
    {
        await using var registry = await DockerRegistryPeer.StartAsync();
        using var images = new TestImages();
        await images.BuildAsync("v1");
        await images.PushAsync("v1", $"{registry.Host}/a-rather-long-organisation-name/with-a-long-repository-name:latest");
        await using var server = await TestServer.StartAsync();
        await ImportAsync(server, "long", "latest", $"{registry.Host}/a-rather-long-organisation-name/with-a-long-repository-name:latest");
        var page = await browser.OpenAsync(server, width: 390, height: 844);

        await page.GotoAsync("/console/#/ns/default/is/long");
        await Expect(page.GetByRole(AriaRole.List, new() { Name = "History of latest" }).Locator("li")).ToHaveCountAsync(1);
        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
        Assert.True(overflow <= 0, $"the page is {overflow}px wider than a phone screen");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Browser.ScreenshotDirectory, "image-stream-phone.png"), FullPage = true });

        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("Skip to content", await page.EvaluateAsync<string>("() => document.activeElement.textContent"));
        await page.Keyboard.PressAsync("Enter");
        Assert.Equal("main", await page.EvaluateAsync<string>("() => document.activeElement.id"));
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("A", await page.EvaluateAsync<string>("() => document.activeElement.tagName"));
    }

    [Fact]
    public async Task AnUnknownPage_AndAMissingStream_SayWhatIsWrong()
    {
        await using var server = await TestServer.StartAsync();
        var page = await browser.OpenAsync(server);

        await page.GotoAsync("/console/#/nowhere/at/all/here");
        await Expect(page.GetByText("There is no such page.")).ToBeVisibleAsync();
        await page.GotoAsync("/console/#/ns/default/is/missing");
        await Expect(page.GetByText("There is no image stream missing in default.")).ToBeVisibleAsync();
    }

    private static async Task ImportAsync(TestServer server, string stream, string tag, string from)
    {
        var response = await server.PostAsync("/apis/image.openshift.io/v1/namespaces/default/imagestreamimports", JsonNode.Parse($$$"""
            {"kind":"ImageStreamImport","apiVersion":"image.openshift.io/v1","metadata":{"name":"{{{stream}}}"},
             "spec":{"import":true,"images":[{"from":{"kind":"DockerImage","name":"{{{from}}}"},"to":{"name":"{{{tag}}}"}}]}}
            """)!);
        Assert.True(response.Status == HttpStatusCode.Created, response.Text);
    }
}
