using System.Text;
using System.Text.Json.Nodes;
using ImageStreams.Controllers.Triggers;
using ImageStreams.Model.Core;
using ImageStreams.Model.Meta;
using ImageStreams.Resources;
using ImageStreams.Testing.Http;
using Microsoft.Extensions.Logging.Abstractions;

namespace ImageStreams.Controllers.Tests.Triggers;

public class WebhookControllerTests
{
    private const string Ns = TriggerHarness.Namespace;

    [Fact]
    public async Task MovedTag_IsPostedSignedWithTheSecret_RetriedAfterAFailure_AndNotRepeatedAfterARestart()
    {
        await using var h = await TriggerHarness.StartAsync(startController: false);
        await using var receiver = await ScriptedHttpServer.StartAsync();
        receiver.Script("POST", "/hooks/deploy", ScriptedResponse.WithStatus(503), ScriptedResponse.WithStatus(204));
        var secret = Encoding.UTF8.GetBytes("s3cr3t-value");
        await h.Resources.Secrets.CreateAsync(Ns, new Secret
        {
            Metadata = new ObjectMeta { Name = "deploy-hook" },
            Data = new Dictionary<string, string> { ["secret"] = Convert.ToBase64String(secret) },
        });
        var old = await h.MoveTagAsync("web", "latest", "v1");
        await h.Resources.ImageStreams.GuaranteedUpdateAsync(Ns, "web", s => s with
        {
            Metadata = s.Metadata.WithAnnotation(WebhookController.WebhookAnnotation,
                $$$"""{"url":"{{{receiver.BaseUri}}}hooks/deploy","secret":{"name":"deploy-hook"}}"""),
        });
        var controller = new WebhookController(h.Resources, TimeProvider.System, NullLogger<WebhookController>.Instance);
        await controller.StartAsync(CancellationToken.None);
        await WaitAsync(async () => (await h.Resources.ImageStreams.GetAsync(Ns, "web")).Metadata.Annotation(WebhookController.DeliveredAnnotation) is not null);
        Assert.Empty(receiver.Requests);

        var moved = await h.MoveTagAsync("web", "latest", "v2");
        await WaitAsync(() => Task.FromResult(receiver.CountRequests("POST", "/hooks/deploy") >= 2));
        await controller.StopAsync(CancellationToken.None);
        controller.Dispose();

        var posts = receiver.Requests.Where(r => r.Method == "POST").ToList();
        Assert.Equal(2, posts.Count);
        Assert.Equal(posts[0].Body, posts[1].Body);
        var delivered = posts[1];
        Assert.Equal(WebhookController.Sign(secret, delivered.Body), delivered.Header(WebhookController.SignatureHeader));
        Assert.StartsWith("application/json", delivered.Header("Content-Type"), StringComparison.Ordinal);
        var body = JsonNode.Parse(delivered.Body)!;
        Assert.Equal(WebhookController.EventType, body["type"]!.GetValue<string>());
        Assert.Equal(Ns, body["namespace"]!.GetValue<string>());
        Assert.Equal("web", body["stream"]!.GetValue<string>());
        Assert.Equal("latest", body["tag"]!.GetValue<string>());
        Assert.Equal(old[(old.IndexOf('@', StringComparison.Ordinal) + 1)..], body["oldImage"]!.GetValue<string>());
        Assert.Equal(moved[(moved.IndexOf('@', StringComparison.Ordinal) + 1)..], body["newImage"]!.GetValue<string>());
        Assert.Equal(moved, body["newImageReference"]!.GetValue<string>());

        using var restarted = new WebhookController(h.Resources, TimeProvider.System, NullLogger<WebhookController>.Instance);
        await restarted.StartAsync(CancellationToken.None);
        await restarted.Synced;
        await Task.Delay(1000);
        await restarted.StopAsync(CancellationToken.None);
        Assert.Equal(2, receiver.CountRequests("POST", "/hooks/deploy"));
    }

    private static async Task WaitAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out");
            await Task.Delay(50);
        }
    }
}
