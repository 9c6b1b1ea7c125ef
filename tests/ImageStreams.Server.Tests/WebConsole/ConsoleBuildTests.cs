using System.Net;
using System.Text.Json.Nodes;
using ImageStreams.Server.Tests.Support;
using ImageStreams.Testing.Registry;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ImageStreams.Server.Tests.WebConsole;

/// <summary>
/// Seed 002 told through the console, with the real server, builders and docker-registry: httpd-base built on an
/// imported httpd, app-a and app-b on httpd-base; Start build on httpd-base, and the builds of app-a and app-b appear
/// and complete on the page without reloading.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ConsoleBuildTests(Browser browser)
{
    private const string Builds = "/apis/build.openshift.io/v1/namespaces/default/buildconfigs";

    [Fact]
    public async Task StartBuildOnHttpdBase_ShowsAppAAndAppBRebuiltWithoutReloading()
    {
        await using var registry = await DockerRegistryPeer.StartAsync();
        using var images = new TestImages();
        await images.BuildAsync("v1", new TestImageSpec { Cmd = ["httpd-foreground"] });
        await images.PushAsync("v1", $"{registry.Host}/library/httpd:2.4");
        await using var server = await TestServer.StartAsync();
        var import = await server.PostAsync("/apis/image.openshift.io/v1/namespaces/default/imagestreamimports", JsonNode.Parse($$$"""
            {"kind":"ImageStreamImport","apiVersion":"image.openshift.io/v1","metadata":{"name":"httpd"},
             "spec":{"import":true,"images":[{"from":{"kind":"DockerImage","name":"{{{registry.Host}}}/library/httpd:2.4"},"to":{"name":"2.4"}}]}}
            """)!);
        Assert.True(import.Status == HttpStatusCode.Created, import.Text);
        await CreateAsync(server, BuildConfig("httpd-base", "httpd:2.4", "LABEL tier=base"));
        await WaitForAsync(server, "httpd-base-1", "Complete");
        await CreateAsync(server, BuildConfig("app-a", "httpd-base:latest", "LABEL app=a"));
        await CreateAsync(server, BuildConfig("app-b", "httpd-base:latest", "LABEL app=b"));
        await WaitForAsync(server, "app-a-1", "Complete");
        await WaitForAsync(server, "app-b-1", "Complete");
        var page = await browser.OpenAsync(server);

        await page.GotoAsync("/console/#/ns/default");
        foreach (var stream in new[] { "httpd", "httpd-base", "app-a", "app-b" })
        {
            await Expect(page.GetByRole(AriaRole.Link, new() { Name = stream, Exact = true })).ToBeVisibleAsync();
        }
        await page.GetByRole(AriaRole.Link, new() { Name = "Builds", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "app-b-1" })).ToBeVisibleAsync();
        // A fix in the base (the seed's "critical bug in httpd"), then Start build: the same sources would give the same
        // image, which moves nothing.
        var fix = await server.PatchAsync($"{Builds}/httpd-base", "application/merge-patch+json",
            """{"spec":{"source":{"dockerfile":"FROM httpd:2.4\nLABEL tier=base fix=CVE-1\n"}}}""");
        Assert.True(fix.Status == HttpStatusCode.OK, fix.Text);
        await page.GetByRole(AriaRole.Button, new() { Name = "Start build httpd-base" }).ClickAsync();

        await Expect(page.GetByText("Build httpd-base-2 started.")).ToBeVisibleAsync();
        foreach (var build in new[] { "httpd-base-2", "app-a-2", "app-b-2" })
        {
            var row = page.GetByRole(AriaRole.Row).Filter(new() { Has = page.GetByRole(AriaRole.Link, new() { Name = build, Exact = true }) });
            await Expect(row.Locator("[data-phase]")).ToHaveTextAsync("Complete", new() { Timeout = 60_000 });
        }
        var appA = page.GetByRole(AriaRole.Row).Filter(new() { Has = page.GetByRole(AriaRole.Link, new() { Name = "app-a-2", Exact = true }) });
        await Expect(appA).ToContainTextAsync("Image change from httpd-base:latest");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Browser.ScreenshotDirectory, "builds.png"), FullPage = true });

        // No other build ran: three of each level's first round, three of the second.
        var list = await server.GetAsync("/apis/build.openshift.io/v1/namespaces/default/builds");
        Assert.Equal(6, list.Object["items"]!.AsArray().Count);

        await page.GetByRole(AriaRole.Link, new() { Name = "app-a-2", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Build app-a-2" })).ToBeVisibleAsync();
        await Expect(page.GetByLabel("Log of app-a-2")).Not.ToBeEmptyAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Cancel build app-a-2" })).ToBeHiddenAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(Browser.ScreenshotDirectory, "build.png"), FullPage = true });

        await page.GotoAsync("/console/#/ns/default/graph");
        var dependencies = page.Locator("ul.dependencies");
        await Expect(dependencies).ToContainTextAsync("httpd:2.4 triggers build config httpd-base");
        await Expect(dependencies).ToContainTextAsync("build config httpd-base writes httpd-base:latest");
        await Expect(dependencies).ToContainTextAsync("httpd-base:latest triggers build config app-a");
        await Expect(dependencies).ToContainTextAsync("httpd-base:latest triggers build config app-b");
        await Expect(page.Locator(".graph line.edge")).ToHaveCountAsync(6);
        await page.ScreenshotAsync(new() { Path = Path.Combine(Browser.ScreenshotDirectory, "graph.png"), FullPage = true });
    }

    [Fact]
    public async Task TheBuildPage_FollowsTheLogOfARunningBuild_AndCancelStopsIt()
    {
        var builder = new Builds.RecordingBuilder(gated: true);
        await using var server = await TestServer.StartAsync(services: builder.Services);
        await CreateAsync(server, new JsonObject
        {
            ["apiVersion"] = "build.openshift.io/v1",
            ["kind"] = "BuildConfig",
            ["metadata"] = new JsonObject { ["name"] = "web" },
            ["spec"] = new JsonObject
            {
                ["source"] = new JsonObject { ["dockerfile"] = "FROM scratch\nLABEL a=b\n" },
                ["strategy"] = new JsonObject { ["dockerStrategy"] = new JsonObject() },
                ["output"] = new JsonObject { ["to"] = new JsonObject { ["kind"] = "ImageStreamTag", ["name"] = "web:latest" } },
            },
        });
        var page = await browser.OpenAsync(server);
        await page.GotoAsync("/console/#/ns/default/builds");
        await page.GetByRole(AriaRole.Button, new() { Name = "Start build web" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "web-1", Exact = true }).ClickAsync();

        var phase = page.Locator("dl.facts [data-phase]");
        await Expect(phase).ToHaveTextAsync("Running");
        await Expect(page.GetByLabel("Log of web-1")).ToContainTextAsync("STEP 1: building");
        await page.GetByRole(AriaRole.Button, new() { Name = "Cancel build web-1" }).ClickAsync();

        await Expect(phase).ToHaveTextAsync("Cancelled");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Cancel build web-1" })).ToBeHiddenAsync();
        Assert.Equal(1, builder.Cancelled);
    }

    private static JsonObject BuildConfig(string name, string from, string instruction) => new()
    {
        ["apiVersion"] = "build.openshift.io/v1",
        ["kind"] = "BuildConfig",
        ["metadata"] = new JsonObject { ["name"] = name },
        ["spec"] = new JsonObject
        {
            ["source"] = new JsonObject { ["dockerfile"] = $"FROM {from}\n{instruction}\n" },
            ["strategy"] = new JsonObject
            {
                ["dockerStrategy"] = new JsonObject { ["from"] = new JsonObject { ["kind"] = "ImageStreamTag", ["name"] = from } },
            },
            ["output"] = new JsonObject { ["to"] = new JsonObject { ["kind"] = "ImageStreamTag", ["name"] = $"{name}:latest" } },
            ["triggers"] = new JsonArray(
                new JsonObject { ["type"] = "ImageChange", ["imageChange"] = new JsonObject() },
                new JsonObject { ["type"] = "ConfigChange" }),
        },
    };

    private static async Task CreateAsync(TestServer server, JsonObject config)
    {
        var created = await server.PostAsync(Builds, config);
        Assert.True(created.Status == HttpStatusCode.Created, created.Text);
    }

    private static async Task WaitForAsync(TestServer server, string build, string phase)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        string? seen = null;
        while (DateTime.UtcNow < deadline)
        {
            var response = await server.GetAsync($"/apis/build.openshift.io/v1/namespaces/default/builds/{build}");
            seen = response.Status == HttpStatusCode.OK ? response["status.phase"] : null;
            if (seen == phase)
            {
                return;
            }
            await Task.Delay(200);
        }
        Assert.Fail($"{build} is {seen ?? "missing"}, not {phase}");
    }
}
