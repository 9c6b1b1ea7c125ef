using ImageStreams.Controllers.Scheduling;
using ImageStreams.Controllers.Tests.Scheduling;
using ImageStreams.Controllers.Triggers;
using ImageStreams.Model.Build;
using ImageStreams.Model.Image;
using ImageStreams.Model.Meta;
using ImageStreams.Resources;
using Microsoft.Extensions.Logging.Abstractions;

namespace ImageStreams.Controllers.Tests.Triggers;

/// <summary>
/// Seed 000: a BuildConfig built on a tag imported with --scheduled; a new image pushed upstream reaches the tag at the
/// next scheduled check (a hand-driven clock) and starts exactly one build.
/// </summary>
public class Seed000TriggerTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(15);
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task NewUpstreamImage_AfterTheNextScheduledCheck_StartsExactlyOneBuild()
    {
        await using var upstream = await UpstreamRegistry.StartAsync();
        await using var harness = await ScheduledImportHarness.StartAsync(new ScheduledImportOptions { Interval = Interval });
        await upstream.PushAsync("rhel7:latest", "v1");
        await harness.ImportAsync("rhel7", "latest", $"{upstream.Registry.Host}/rhel7:latest");
        await harness.RunAsync();
        await harness.WaitForScheduledAsync("rhel7", 1);
        using var triggers = new BuildTriggerController(harness.Resources, new FixedRegistryHost("127.0.0.1:1"), new TriggerOptions(),
            TimeProvider.System, NullLogger<BuildTriggerController>.Instance);
        await triggers.StartAsync(CancellationToken.None);

        // The seed's BuildConfig: one trigger on the strategy's from, one naming rhel7:latest.
        await harness.Resources.BuildConfigs.CreateAsync(ScheduledImportHarness.Namespace, new BuildConfig
        {
            Metadata = new ObjectMeta { Name = "my-app", Labels = new Dictionary<string, string> { ["app"] = "my-app" } },
            Spec = new BuildConfigSpec
            {
                Source = new BuildSource { Dockerfile = "FROM rhel7\nLABEL app=my-app\n" },
                Strategy = new BuildStrategy { DockerStrategy = new DockerBuildStrategy { From = new ObjectReference { Kind = SourceKinds.ImageStreamTag, Name = "rhel7:latest" } } },
                Output = new BuildOutput { To = new ObjectReference { Kind = SourceKinds.ImageStreamTag, Name = "my-app:latest" } },
                Triggers =
                [
                    new BuildTriggerPolicy { Type = BuildTriggerTypes.ImageChange, ImageChange = new ImageChangeTrigger() },
                    new BuildTriggerPolicy { Type = BuildTriggerTypes.ImageChange, ImageChange = new ImageChangeTrigger { From = new ObjectReference { Kind = SourceKinds.ImageStreamTag, Name = "rhel7:latest" } } },
                ],
            },
        });
        await WaitForBuildsAsync(harness.Resources, 1);
        var due = harness.TagSchedule("rhel7", "latest").NextCheck!.Value;

        var second = await upstream.PushAsync("rhel7:latest", "v2");
        await harness.AdvanceToAsync(due - Second, TimeSpan.FromMinutes(1));
        await Task.Delay(500);
        Assert.Single(await BuildsAsync(harness.Resources));

        await harness.AdvanceAsync(2 * Second, Second);
        var builds = await WaitForBuildsAsync(harness.Resources, 2);
        await Task.Delay(1000);

        builds = await BuildsAsync(harness.Resources);
        Assert.Equal(2, builds.Count);
        Assert.EndsWith($"@{second}", builds[1].Spec.TriggeredBy![0].ImageChangeBuild!.ImageId, StringComparison.Ordinal);
        Assert.Equal("Image change", builds[1].Spec.TriggeredBy![0].Message);
        await triggers.StopAsync(CancellationToken.None);
    }

    private static async Task<IReadOnlyList<Model.Build.Build>> BuildsAsync(ResourceSet resources) =>
        (await resources.Builds.ListAsync(ScheduledImportHarness.Namespace)).Items.OrderBy(b => b.Number).ToList();

    private static async Task<IReadOnlyList<Model.Build.Build>> WaitForBuildsAsync(ResourceSet resources, int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var builds = await BuildsAsync(resources);
            if (builds.Count >= count)
            {
                return builds;
            }
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {count} build(s); there are {builds.Count}");
            await Task.Delay(25);
        }
    }
}
