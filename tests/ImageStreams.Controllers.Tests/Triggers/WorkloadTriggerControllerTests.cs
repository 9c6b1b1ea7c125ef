using System.Text.Json;
using System.Text.Json.Nodes;
using ImageStreams.Controllers.Triggers;
using ImageStreams.Model.Core;
using ImageStreams.Model.Meta;
using ImageStreams.Model.Workloads;
using ImageStreams.Resources;
using Microsoft.Extensions.Logging.Abstractions;

namespace ImageStreams.Controllers.Tests.Triggers;

public class WorkloadTriggerControllerTests
{
    private const string Ns = TriggerHarness.Namespace;
    private const string WebPath = "spec.template.spec.containers[?(@.name==\"web\")].image";

    [Fact]
    public async Task Deployment_FollowingATag_TakesItsImageOnCreateAndWhenItMoves_UnlessPaused()
    {
        await using var h = await TriggerHarness.StartAsync(startController: false);
        await h.Resources.Namespaces.CreateAsync(null, new Namespace { Metadata = new ObjectMeta { Name = "other" } });
        var v1 = await h.MoveTagAsync("app", "latest", "v1");
        await h.Resources.Deployments.CreateAsync(Ns, Deployment("web", Triggers(("app:latest", WebPath, false))));
        await h.Resources.Deployments.CreateAsync(Ns, Deployment("held", Triggers(("app:latest", WebPath, true))));
        await h.Resources.Deployments.CreateAsync("other", Deployment("remote", Triggers(("app:latest", WebPath, false, Ns))));
        using var controller = await StartAsync(h);

        await WaitForImageAsync(h.Resources.Deployments, Ns, "web", v1);
        await WaitForImageAsync(h.Resources.Deployments, "other", "remote", v1);
        var v2 = await h.MoveTagAsync("app", "latest", "v2");
        var web = await WaitForImageAsync(h.Resources.Deployments, Ns, "web", v2);
        await WaitForImageAsync(h.Resources.Deployments, "other", "remote", v2);

        Assert.Equal("busybox", Container(web, 0)["image"]!.GetValue<string>());
        Assert.Equal(3, web.Metadata.Generation);
        var held = await h.Resources.Deployments.GetAsync(Ns, "held");
        Assert.Equal("placeholder", Image(held));
        await controller.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task CronJob_InitContainerAndIndexPaths_AreRewritten()
    {
        await using var h = await TriggerHarness.StartAsync(startController: false);
        using var controller = await StartAsync(h);
        await h.MoveTagAsync("tools", "stable", "t1");
        var cron = new CronJob
        {
            Metadata = new ObjectMeta
            {
                Name = "nightly",
                Annotations = new Dictionary<string, string>
                {
                    [WorkloadTriggers.Annotation] = Triggers(
                        ("tools:stable", "spec.jobTemplate.spec.template.spec.containers[0].image", false),
                        ("tools:stable", "spec.jobTemplate.spec.template.spec.initContainers[?(@.name=='setup')].image", false)),
                },
            },
            Spec = JsonNode.Parse("""
                {"schedule":"0 3 * * *","jobTemplate":{"spec":{"template":{"spec":{
                  "initContainers":[{"name":"setup","image":"old"}],"containers":[{"name":"job","image":"old"}]}}}}}
                """)!.AsObject(),
        };
        await h.Resources.CronJobs.CreateAsync(Ns, cron);

        var moved = await h.MoveTagAsync("tools", "stable", "t2");
        var stored = await WaitAsync(h.Resources.CronJobs, Ns, "nightly",
            c => PodSpec(c)["containers"]![0]!["image"]!.GetValue<string>() == moved && PodSpec(c)["initContainers"]![0]!["image"]!.GetValue<string>() == moved);
        Assert.Equal("0 3 * * *", stored.Spec!["schedule"]!.GetValue<string>());
        await controller.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task CurrentImage_UnknownContainer_AndMalformedAnnotation_LeaveTheObjectUnwritten()
    {
        await using var h = await TriggerHarness.StartAsync(startController: false);
        var v1 = await h.MoveTagAsync("app", "latest", "v1");
        var current = await h.Resources.Deployments.CreateAsync(Ns, Deployment("a-current", Triggers(("app:latest", WebPath, false)), image: v1));
        var unknown = await h.Resources.Deployments.CreateAsync(Ns, Deployment("a-unknown",
            Triggers(("app:latest", "spec.template.spec.containers[?(@.name==\"nope\")].image", false), ("app:latest", "spec.template.spec.containers[7].image", false))));
        var malformed = await h.Resources.Deployments.CreateAsync(Ns, Deployment("a-malformed", "[{\"from\":"));
        var badPath = await h.Resources.Deployments.CreateAsync(Ns, Deployment("a-path", Triggers(("app:latest", "spec.containers[0].image", false))));
        // Followers are synced in name order: once this one has its image, those before it have been seen.
        await h.Resources.Deployments.CreateAsync(Ns, Deployment("b-sentinel", Triggers(("app:latest", WebPath, false))));
        using var controller = await StartAsync(h);
        await WaitForImageAsync(h.Resources.Deployments, Ns, "b-sentinel", v1);
        await h.TouchStreamAsync("app", "unrelated change");
        await Task.Delay(500);

        foreach (var before in new[] { current, unknown, malformed, badPath })
        {
            var after = await h.Resources.Deployments.GetAsync(Ns, before.Metadata.Name!);
            Assert.Equal(before.Metadata.ResourceVersion, after.Metadata.ResourceVersion);
            Assert.Equal(Image(before), Image(after));
        }
        Assert.Equal(["deployments/seed/a-current", "deployments/seed/a-path", "deployments/seed/a-unknown", "deployments/seed/b-sentinel"],
            controller.Followers($"{Ns}/app"));
        await controller.StopAsync(CancellationToken.None);
    }

    private static async Task<WorkloadTriggerController> StartAsync(TriggerHarness h)
    {
        var controller = new WorkloadTriggerController(h.Resources, TimeProvider.System, NullLogger<WorkloadTriggerController>.Instance);
        await controller.StartAsync(CancellationToken.None);
        await controller.Synced.WaitAsync(TimeSpan.FromSeconds(30));
        return controller;
    }

    private static string Triggers(params (string From, string FieldPath, bool Paused, string? Namespace)[] triggers) =>
        JsonSerializer.Serialize(triggers.Select(t => new
        {
            from = t.Namespace is null
                ? (object)new { kind = "ImageStreamTag", name = t.From }
                : new { kind = "ImageStreamTag", name = t.From, @namespace = t.Namespace },
            fieldPath = t.FieldPath,
            paused = t.Paused,
        }));

    private static string Triggers(params (string From, string FieldPath, bool Paused)[] triggers) =>
        Triggers([.. triggers.Select(t => (t.From, t.FieldPath, t.Paused, (string?)null))]);

    private static Deployment Deployment(string name, string triggers, string image = "placeholder") => new()
    {
        Metadata = new ObjectMeta { Name = name, Annotations = new Dictionary<string, string> { [WorkloadTriggers.Annotation] = triggers } },
        Spec = JsonNode.Parse($$$$"""
            {"selector":{"matchLabels":{"app":"{{{{name}}}}"}},"template":{"metadata":{"labels":{"app":"{{{{name}}}}"}},
             "spec":{"containers":[{"name":"sidecar","image":"busybox"},{"name":"web","image":"{{{{image}}}}"}]}}}
            """)!.AsObject(),
    };

    private static JsonObject PodSpec(Workload workload) =>
        workload is CronJob ? workload.Spec!["jobTemplate"]!["spec"]!["template"]!["spec"]!.AsObject() : workload.Spec!["template"]!["spec"]!.AsObject();

    private static JsonObject Container(Workload workload, int index) => PodSpec(workload)["containers"]![index]!.AsObject();

    private static string Image(Workload workload) => Container(workload, 1)["image"]!.GetValue<string>();

    private static Task<T> WaitForImageAsync<T>(IResourceClient<T> client, string ns, string name, string image)
        where T : Workload =>
        WaitAsync(client, ns, name, w => Image(w) == image);

    private static async Task<T> WaitAsync<T>(IResourceClient<T> client, string ns, string name, Func<T, bool> condition)
        where T : Workload
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var workload = await client.GetAsync(ns, name);
            if (condition(workload))
            {
                return workload;
            }
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {client.Type.Resource} {ns}/{name}");
            await Task.Delay(25);
        }
    }
}
