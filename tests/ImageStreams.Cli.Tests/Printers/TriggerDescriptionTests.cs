using ImageStreams.Cli.Printers;
using ImageStreams.Model.Build;
using ImageStreams.Model.Image;
using ImageStreams.Model.Meta;

namespace ImageStreams.Cli.Tests.Printers;

public class TriggerDescriptionTests
{
    private static readonly DateTimeOffset Now = new(2024, 1, 10, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void DescribeBc_MarksTriggersFoundInTheDockerfile_AndPausedOnes_AndTheOptOut()
    {
        var config = new BuildConfig
        {
            Metadata = new ObjectMeta
            {
                Name = "site",
                Namespace = "seed",
                CreationTimestamp = Now,
                Annotations = new Dictionary<string, string>
                {
                    [BuildTriggers.DiscoveredAnnotation] = "seed/httpd-base:latest",
                    [BuildTriggers.DiscoverAnnotation] = "false",
                },
            },
            Spec = new BuildConfigSpec
            {
                Source = new BuildSource { Dockerfile = "FROM httpd-base:latest\n" },
                Strategy = new BuildStrategy { DockerStrategy = new DockerBuildStrategy() },
                Triggers =
                [
                    new BuildTriggerPolicy
                    {
                        Type = BuildTriggerTypes.ImageChange,
                        ImageChange = new ImageChangeTrigger { From = new ObjectReference { Kind = SourceKinds.ImageStreamTag, Name = "httpd-base:latest" } },
                    },
                    new BuildTriggerPolicy
                    {
                        Type = BuildTriggerTypes.ImageChange,
                        ImageChange = new ImageChangeTrigger { From = new ObjectReference { Kind = SourceKinds.ImageStreamTag, Name = "tools:1" }, Paused = true },
                    },
                ],
            },
        };

        var text = BuildDescriber.DescribeConfig(config, [], Now);

        Assert.Contains("ImageChange (httpd-base:latest, found in the Dockerfile), ImageChange (tools:1, paused)", text, StringComparison.Ordinal);
        Assert.Matches(@"Dockerfile Triggers:\s+off \(triggers.imagestreams.io/discover=false\)", text);
    }

    [Fact]
    public void DescribeIs_ListsWhatEachTagTriggers()
    {
        var stream = new ImageStream
        {
            Metadata = new ObjectMeta { Name = "httpd-base", Namespace = "seed", CreationTimestamp = Now },
            Status = new ImageStreamStatus
            {
                Tags =
                [
                    new NamedTagEventList
                    {
                        Tag = "latest",
                        Items = [new TagEvent { Created = Now, DockerImageReference = "127.0.0.1:8080/seed/httpd-base@sha256:aa", Image = "sha256:aa" }],
                    },
                    new NamedTagEventList
                    {
                        Tag = "old",
                        Items = [new TagEvent { Created = Now, DockerImageReference = "127.0.0.1:8080/seed/httpd-base@sha256:bb", Image = "sha256:bb" }],
                    },
                ],
            },
        };

        var text = ImageStreamDescriber.Describe(stream, Now, triggered: new Dictionary<string, IReadOnlyList<string>>
        {
            ["latest"] = ["buildconfig/app-b", "buildconfig/app-a"],
        });

        Assert.Matches(new System.Text.RegularExpressions.Regex(@"^latest\n[^\n]*\n    triggers buildconfig/app-a, buildconfig/app-b$", System.Text.RegularExpressions.RegexOptions.Multiline), text);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(text, "triggers buildconfig"));
    }
}
