using ImageStreams.Model.Build;
using ImageStreams.Model.Image;
using ImageStreams.Model.Meta;
using ImageStreams.Resources;
using ImageStreams.Resources.Builds;

namespace ImageStreams.Controllers.Tests.Triggers;

public class BuildTriggerControllerTests
{
    private const string Ns = TriggerHarness.Namespace;

    [Fact]
    public async Task MovedTag_StartsExactlyOneBuildPerNewImage_WithTheImageAsBase()
    {
        await using var h = await TriggerHarness.StartAsync();
        var first = await h.MoveTagAsync("base", "latest", "v1");
        await h.CreateAsync(TriggerHarness.Config("app", "base:latest", "app:latest"));

        var builds = await h.WaitForBuildsAsync("app", 1);
        Assert.Single(builds);

        for (var i = 0; i < 5; i++)
        {
            await h.TouchStreamAsync("base", i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        var second = await h.MoveTagAsync("base", "latest", "v2");
        builds = await h.WaitForBuildsAsync("app", 2);

        Assert.Equal(2, builds.Count);
        Assert.Equal(["app-1", "app-2"], builds.Select(b => b.Metadata.Name));
        var cause = Assert.Single(builds[1].Spec.TriggeredBy!);
        Assert.Equal(BuildInstantiator.ImageChangeCause, cause.Message);
        Assert.Equal(second, cause.ImageChangeBuild!.ImageId);
        Assert.Equal("base:latest", cause.ImageChangeBuild.FromRef!.Name);
        Assert.Equal(SourceKinds.DockerImage, builds[1].Spec.Strategy.DockerStrategy!.From!.Kind);
        Assert.Equal(second, builds[1].Spec.Strategy.DockerStrategy!.From!.Name);
        Assert.Equal(first, builds[0].Spec.TriggeredBy![0].ImageChangeBuild!.ImageId);

        var config = await h.Resources.BuildConfigs.GetAsync(Ns, "app");
        Assert.Equal(2, config.Status!.LastVersion);
        Assert.Equal(second, Assert.Single(config.Status.ImageChangeTriggers!).LastTriggeredImageId);
        Assert.Null(config.Metadata.Annotation(BuildInstantiator.PendingBuildAnnotation));
    }

    [Fact]
    public async Task ConfigChangeTrigger_StartsTheFirstBuildOnce_AndTheImageTriggerDoesNotAddASecond()
    {
        await using var h = await TriggerHarness.StartAsync();
        var image = await h.MoveTagAsync("base", "latest", "v1");
        await h.CreateAsync(TriggerHarness.Config("app", "base:latest", "app:latest", configChange: true));

        var builds = await h.WaitForBuildsAsync("app", 1, settle: TimeSpan.FromSeconds(1));

        var build = Assert.Single(builds);
        Assert.Equal(BuildTriggers.ConfigChangeCause, Assert.Single(build.Spec.TriggeredBy!).Message);
        var config = await h.Resources.BuildConfigs.GetAsync(Ns, "app");
        Assert.Equal(image, Assert.Single(config.Status!.ImageChangeTriggers!).LastTriggeredImageId);
    }

    [Fact]
    public async Task ConfigChangeTrigger_WithoutImageTriggers_BuildsOnceAndNotAgainOnRestart()
    {
        await using var h = await TriggerHarness.StartAsync();
        await h.CreateAsync(TriggerHarness.Config("plain", null, "plain:latest", configChange: true));
        Assert.Single(await h.WaitForBuildsAsync("plain", 1));

        await h.RestartAsync();
        await Task.Delay(700);

        Assert.Single(await h.BuildsOfAsync("plain"));
    }

    [Fact]
    public async Task PausedTrigger_StartsNothing()
    {
        await using var h = await TriggerHarness.StartAsync();
        await h.MoveTagAsync("base", "latest", "v1");
        await h.CreateAsync(TriggerHarness.Config("app", "base:latest", "app:latest", paused: true));
        await h.MoveTagAsync("base", "latest", "v2");
        await Task.Delay(1000);

        Assert.Empty(await h.BuildsOfAsync("app"));
    }

    [Fact]
    public async Task Cascade_BaseBuild_TriggersEachDependentOnce_AndNothingElse()
    {
        await using var h = await TriggerHarness.StartAsync();
        await h.MoveTagAsync("debian", "12", "debian");
        await h.CreateAsync(TriggerHarness.Config("httpd-base", "debian:12", "httpd-base:latest"));
        var baseBuild = Assert.Single(await h.WaitForBuildsAsync("httpd-base", 1));
        await h.CompleteAsync(baseBuild);
        await h.CreateAsync(TriggerHarness.Config("app-a", "httpd-base:latest", "app-a:latest"));
        await h.CreateAsync(TriggerHarness.Config("app-b", "httpd-base:latest", "app-b:latest"));
        await h.CreateAsync(TriggerHarness.Config("other", "debian:12", "other:latest"));
        Assert.Single(await h.WaitForBuildsAsync("app-a", 1));
        Assert.Single(await h.WaitForBuildsAsync("app-b", 1));
        Assert.Single(await h.WaitForBuildsAsync("other", 1));

        // Start build httpd-base: its new image moves httpd-base:latest, which rebuilds app-a and app-b.
        var rebuilt = await h.Resources.BuildInstantiator.InstantiateAsync(Ns, "httpd-base", new BuildRequest { Metadata = new ObjectMeta { Name = "httpd-base" } });
        var newBase = await h.CompleteAsync(rebuilt);

        var a = await h.WaitForBuildsAsync("app-a", 2);
        var b = await h.WaitForBuildsAsync("app-b", 2);
        Assert.Equal(2, a.Count);
        Assert.Equal(2, b.Count);
        Assert.Equal(newBase, a[1].Spec.Strategy.DockerStrategy!.From!.Name);
        Assert.Equal(newBase, b[1].Spec.Strategy.DockerStrategy!.From!.Name);
        Assert.Equal(2, (await h.BuildsOfAsync("httpd-base")).Count);
        Assert.Single(await h.BuildsOfAsync("other"));
    }

    [Fact]
    public async Task RestartInTheMiddleOfACascade_LosesNoBuildAndDuplicatesNone()
    {
        await using var h = await TriggerHarness.StartAsync();
        await h.MoveTagAsync("base", "latest", "v1");
        await h.CreateAsync(TriggerHarness.Config("mid", "base:latest", "mid:latest"));
        await h.CompleteAsync(Assert.Single(await h.WaitForBuildsAsync("mid", 1)));
        await h.CreateAsync(TriggerHarness.Config("top-a", "mid:latest", "top-a:latest"));
        await h.CreateAsync(TriggerHarness.Config("top-b", "mid:latest", "top-b:latest"));
        await h.WaitForBuildsAsync("top-a", 1);
        await h.WaitForBuildsAsync("top-b", 1);

        await h.MoveTagAsync("base", "latest", "v2");
        var mid = await h.WaitForBuildsAsync("mid", 2, settle: TimeSpan.Zero);
        await h.StopControllersAsync();
        // While the server is down the level-two build finishes and pushes.
        await h.CompleteAsync(mid[1]);
        await h.StartControllerAsync();

        Assert.Equal(2, (await h.WaitForBuildsAsync("top-a", 2)).Count);
        Assert.Equal(2, (await h.WaitForBuildsAsync("top-b", 2)).Count);
        Assert.Equal(2, (await h.BuildsOfAsync("mid")).Count);

        await h.RestartAsync();
        await Task.Delay(700);
        Assert.Equal(2, (await h.BuildsOfAsync("top-a")).Count);
        Assert.Equal(2, (await h.BuildsOfAsync("mid")).Count);
    }

    [Fact]
    public async Task CrashBetweenTakingTheNumberAndCreatingTheBuild_TheBuildIsCreatedOnce()
    {
        await using var h = await TriggerHarness.StartAsync(startController: false);
        var image = await h.MoveTagAsync("base", "latest", "v1");
        await h.CreateAsync(TriggerHarness.Config("app", "base:latest", "app:latest"));
        // The state a crash leaves after the instantiate's status write and before the build's create.
        var request = new BuildRequest
        {
            TriggeredByImage = new ObjectReference { Kind = SourceKinds.DockerImage, Name = image },
            From = new ObjectReference { Kind = SourceKinds.ImageStreamTag, Namespace = Ns, Name = "base:latest" },
        };
        var pending = System.Text.Json.JsonSerializer.Serialize(new { number = 1, request }, ImageStreams.Model.Serialization.ResourceJson.Options);
        await h.Resources.BuildConfigs.GuaranteedUpdateAsync(Ns, "app", c => c with
        {
            Metadata = c.Metadata.WithAnnotation(BuildInstantiator.PendingBuildAnnotation, pending),
            Status = new BuildConfigStatus
            {
                LastVersion = 1,
                ImageChangeTriggers = [new ImageChangeTriggerStatus { From = new ImageStreamTagReference { Namespace = Ns, Name = "base:latest" }, LastTriggeredImageId = image }],
            },
        }, WriteScope.Status);

        await h.StartControllerAsync();

        var build = Assert.Single(await h.WaitForBuildsAsync("app", 1, settle: TimeSpan.FromSeconds(1)));
        Assert.Equal("app-1", build.Metadata.Name);
        Assert.Equal(image, build.Spec.TriggeredBy![0].ImageChangeBuild!.ImageId);
        var config = await h.Resources.BuildConfigs.GetAsync(Ns, "app");
        Assert.Null(config.Metadata.Annotation(BuildInstantiator.PendingBuildAnnotation));
        Assert.Equal(1, config.Status!.LastVersion);
    }

    [Fact]
    public async Task TwoControllersOverOneStore_StartOneBuildPerImage()
    {
        await using var h = await TriggerHarness.StartAsync();
        await h.StartControllerAsync();
        await h.MoveTagAsync("base", "latest", "v1");
        for (var i = 0; i < 10; i++)
        {
            await h.CreateAsync(TriggerHarness.Config($"app-{i}", "base:latest", $"app-{i}:latest"));
        }
        for (var i = 0; i < 10; i++)
        {
            await h.WaitForBuildsAsync($"app-{i}", 1, settle: TimeSpan.Zero);
        }
        for (var round = 2; round <= 4; round++)
        {
            await h.MoveTagAsync("base", "latest", $"v{round}");
            for (var i = 0; i < 10; i++)
            {
                await h.WaitForBuildsAsync($"app-{i}", round, settle: TimeSpan.Zero);
            }
        }
        await Task.Delay(1000);

        for (var i = 0; i < 10; i++)
        {
            var builds = await h.BuildsOfAsync($"app-{i}");
            Assert.Equal(4, builds.Count);
            Assert.Equal(4, builds.Select(b => b.Spec.TriggeredBy![0].ImageChangeBuild!.ImageId).Distinct().Count());
        }
    }

    [Fact]
    public async Task TriggerCycle_IsRefusedWithA422NamingIt()
    {
        await using var h = await TriggerHarness.StartAsync();
        await h.CreateAsync(TriggerHarness.Config("a", "x:latest", "y:latest"));
        await h.CreateAsync(TriggerHarness.Config("b", "y:latest", "z:latest"));

        var e = await Assert.ThrowsAsync<ApiException>(() => h.CreateAsync(TriggerHarness.Config("c", "z:latest", "x:latest")));

        Assert.Equal(422, e.Code);
        Assert.Equal(StatusReasons.Invalid, e.Reason);
        Assert.Contains(
            $"image change triggers would form a cycle: buildconfig {Ns}/c outputs to {Ns}/x:latest, which triggers buildconfig {Ns}/a, " +
            $"which outputs to {Ns}/y:latest, which triggers buildconfig {Ns}/b, which outputs to {Ns}/z:latest, which triggers buildconfig {Ns}/c",
            e.Message, StringComparison.Ordinal);

        var self = await Assert.ThrowsAsync<ApiException>(() => h.CreateAsync(TriggerHarness.Config("self", "me:latest", "me:latest")));
        Assert.Equal(422, self.Code);
        Assert.Null(await h.Resources.BuildConfigs.FindAsync(Ns, "c"));
    }

    [Fact]
    public async Task CycleStoredAnyway_NeverLoopsAtRunTime()
    {
        await using var h = await TriggerHarness.StartAsync();
        // A status-scoped create skips the check, standing in for two writes that raced past each other.
        await h.Resources.BuildConfigs.CreateAsync(Ns, TriggerHarness.Config("loop", "loop:latest", "loop:latest"), new WriteOptions(WriteScope.Status));
        await h.MoveTagAsync("loop", "latest", "v1");
        await Task.Delay(1000);

        Assert.Empty(await h.BuildsOfAsync("loop"));
    }

    [Fact]
    public async Task DockerfileBase_OfOurStream_BecomesATrigger_UnlessOptedOut()
    {
        await using var h = await TriggerHarness.StartAsync();
        var image = await h.MoveTagAsync("httpd-base", "latest", "v1");
        BuildConfig Discovered(string name) => TriggerHarness.Config(name, null, $"{name}:latest") with
        {
            Spec = TriggerHarness.Config(name, null, $"{name}:latest").Spec with
            {
                Source = new BuildSource { Dockerfile = $"FROM {TriggerHarness.RegistryHost}/{Ns}/httpd-base:latest\nCOPY index.html /var/www/\n" },
            },
        };
        await h.CreateAsync(Discovered("site"));
        var optedOut = Discovered("pinned");
        await h.CreateAsync(optedOut with { Metadata = optedOut.Metadata.WithAnnotation(BuildTriggers.DiscoverAnnotation, "false") });

        var build = Assert.Single(await h.WaitForBuildsAsync("site", 1));
        Assert.Equal(image, build.Spec.TriggeredBy![0].ImageChangeBuild!.ImageId);
        var config = await h.Resources.BuildConfigs.GetAsync(Ns, "site");
        Assert.Equal($"{Ns}/httpd-base:latest", config.Metadata.Annotation(BuildTriggers.DiscoveredAnnotation));
        Assert.Contains(config.Spec.Triggers!, t => t.ImageChange?.From?.Name == "httpd-base:latest");
        Assert.Empty(await h.BuildsOfAsync("pinned"));
        var pinned = await h.Resources.BuildConfigs.GetAsync(Ns, "pinned");
        Assert.DoesNotContain(pinned.Spec.Triggers ?? [], t => t.Type == BuildTriggerTypes.ImageChange);
    }

    [Fact]
    public async Task ManualFirstBuild_ThenTheTriggerWatchesFromTheCurrentImage_AndBuildsOnceWhenItMoves()
    {
        await using var h = await TriggerHarness.StartAsync(startController: false);
        var first = await h.MoveTagAsync("base", "latest", "v1");
        await h.CreateAsync(TriggerHarness.Config("app", "base:latest", "app:latest"));
        // isctl new-build starts the first build itself, guarded so that it is only ever the first.
        await h.Resources.BuildInstantiator.InstantiateAsync(Ns, "app", new BuildRequest { Metadata = new ObjectMeta { Name = "app" }, LastVersion = 0 });
        await h.StartControllerAsync();
        await Task.Delay(1000);

        Assert.Single(await h.BuildsOfAsync("app"));
        var config = await h.Resources.BuildConfigs.GetAsync(Ns, "app");
        Assert.Equal(first, Assert.Single(config.Status!.ImageChangeTriggers!).LastTriggeredImageId);

        var second = await h.MoveTagAsync("base", "latest", "v2");
        var builds = await h.WaitForBuildsAsync("app", 2);
        Assert.Equal(2, builds.Count);
        Assert.Equal(second, builds[1].Spec.TriggeredBy![0].ImageChangeBuild!.ImageId);
    }
}
