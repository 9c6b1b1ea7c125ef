using ImageStreams.Controllers.Triggers;
using ImageStreams.Model.Build;
using ImageStreams.Model.Meta;

namespace ImageStreams.Controllers.Tests.Triggers;

public class DependencyDiscoveryTests
{
    [Theory]
    [InlineData("127.0.0.1:8080/seed/httpd-base:latest", "seed/httpd-base:latest")]
    [InlineData("127.0.0.1:8080/other/base:1.2", "other/base:1.2")]
    [InlineData("httpd-base:latest", "seed/httpd-base:latest")]
    [InlineData("registry.example.com/seed/httpd-base:latest", null)]
    [InlineData("127.0.0.1:8080/seed/httpd-base@sha256:0123", null)]
    [InlineData("httpd-base", null)]
    [InlineData("${BASE}:latest", null)]
    [InlineData("docker.io/library/httpd:2.4", null)]
    public void FromPullSpec_NamesOnlyTagsOfOurRegistry(string image, string? expected) =>
        Assert.Equal(expected, DependencyDiscovery.FromPullSpec(image, "seed", "127.0.0.1:8080")?.ToString());

    [Fact]
    public void BaseTag_FollowsStageNamesToTheFinalStagesBase()
    {
        var config = new BuildConfig
        {
            Metadata = new ObjectMeta { Name = "site", Namespace = "seed" },
            Spec = new BuildConfigSpec
            {
                Source = new BuildSource { Dockerfile = "FROM builder:1 AS build\nFROM httpd-base:latest AS runtime\nFROM runtime\nCOPY --from=build /out /srv\n" },
                Strategy = new BuildStrategy { DockerStrategy = new DockerBuildStrategy() },
            },
        };

        Assert.Equal("seed/httpd-base:latest", DependencyDiscovery.BaseTag(config, "127.0.0.1:8080")?.ToString());
        var optedOut = config with { Metadata = config.Metadata.WithAnnotation(BuildTriggers.DiscoverAnnotation, "false") };
        Assert.Null(DependencyDiscovery.BaseTag(optedOut, "127.0.0.1:8080"));
    }
}
