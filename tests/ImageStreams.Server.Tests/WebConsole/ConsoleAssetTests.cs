using System.Net;
using ImageStreams.Server.Tests.Support;

namespace ImageStreams.Server.Tests.WebConsole;

/// <summary>How the server serves the console's files: over plain HTTP, as a browser and an API client see them.</summary>
public sealed class ConsoleAssetTests
{
    [Fact]
    public async Task ABrowserAtTheRoot_IsSentToTheConsole_AndAnApiClientGetsAStatus()
    {
        await using var server = await TestServer.StartAsync();

        using var noRedirects = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = server.Server.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Add("Accept", "text/html,application/xhtml+xml");
        using var browser = await noRedirects.SendAsync(request);
        var api = await server.GetAsync("/", "application/json");

        Assert.Equal((HttpStatusCode.Redirect, "/console/"), (browser.StatusCode, browser.Headers.Location?.ToString()));
        Assert.Equal((HttpStatusCode.NotFound, "Status"), (api.Status, api["kind"]));
    }

    [Fact]
    public async Task ThePages_AreServedWithAStrictContentPolicy_AndRevalidatedByETag()
    {
        await using var server = await TestServer.StartAsync();

        using var page = await server.Client.GetAsync("/console/");
        var html = await page.Content.ReadAsStringAsync();
        using var revalidate = new HttpRequestMessage(HttpMethod.Get, "/console/console.js");
        using var script = await server.Client.GetAsync("/console/console.js");
        revalidate.Headers.TryAddWithoutValidation("If-None-Match", script.Headers.ETag!.ToString());
        using var notModified = await server.Client.SendAsync(revalidate);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html; charset=utf-8", page.Content.Headers.ContentType!.ToString());
        Assert.Contains("<script src=\"/console/console.js\" defer></script>", html, StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", string.Join(' ', page.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
        Assert.Equal("nosniff", string.Join(' ', page.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("text/javascript; charset=utf-8", script.Content.Headers.ContentType!.ToString());
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
    }

    [Fact]
    public async Task ConsoleRoutes_GetThePage_AndMissingFilesA404Status()
    {
        await using var server = await TestServer.StartAsync();

        using var route = await server.Client.GetAsync("/console/projects/team-a");
        var missing = await server.GetAsync("/console/missing.js");

        Assert.Equal(HttpStatusCode.OK, route.StatusCode);
        Assert.Contains("<title>ImageStreams</title>", await route.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.NotFound, "Status", "NotFound"), (missing.Status, missing["kind"], missing["reason"]));
    }
}
