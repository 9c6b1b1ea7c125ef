using ImageStreams.Cli.Printers;
using ImageStreams.Model.Image;
using ImageStreams.Model.Meta;
using ImageStreams.Model.Serialization;

namespace ImageStreams.Cli.Tests.Printers;

public class ImageStreamDescriberTests
{
    private static readonly DateTimeOffset Now = new(2024, 1, 10, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Describe_OfTheSeedStream_MatchesOcsOutput()
    {
        var seed = ResourceJson.FromNode<ImageStream>(
            Yaml.ParseDocuments(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "testdata", "seed000-rhel7.yaml"))).Single());

        var text = ImageStreamDescriber.Describe(seed, seed.Metadata.CreationTimestamp!.Value);

        Assert.Equal(
            """
            Name:			rhel7
            Namespace:		araszka-playground
            Created:		Less than a second ago
            Labels:			<none>
            Annotations:		openshift.io/image.dockerRepositoryCheck=2019-04-15T12:05:34Z
            Image Repository:	docker-registry.default.svc:5000/araszka-playground/rhel7
            Image Lookup:		local=false
            Unique Images:		1
            Tags:			1

            latest
              updates automatically from registry registry.access.redhat.com/rhel7:latest

              * registry.access.redhat.com/rhel7@sha256:e3f12513a4b22a2d7c0e7c9207f52128113758d9d68c7d06b11a0ac7672966f7
                  Less than a second ago

            """.ReplaceLineEndings("\n"),
            text);
    }

    [Fact]
    public void Describe_OfScheduledTags_SaysWhenTheyWereCheckedAndWillBeNext_AndWhenAFailingOneIsRetried()
    {
        var seed = ResourceJson.FromNode<ImageStream>(
            Yaml.ParseDocuments(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "testdata", "seed000-rhel7.yaml"))).Single());
        var serverNow = seed.Metadata.CreationTimestamp!.Value;
        var schedule = new ImageStreamSchedule
        {
            Enabled = true,
            Now = serverNow,
            Tags = [new TagSchedule { Tag = "latest", LastChecked = serverNow.AddMinutes(-3), NextCheck = serverNow.AddMinutes(12) }],
        };

        var healthy = ImageStreamDescriber.Describe(seed, serverNow, schedule);
        var failing = ImageStreamDescriber.Describe(seed, serverNow, schedule with
        {
            Tags = [schedule.Tags[0] with { ConsecutiveFailures = 3, NextRetry = serverNow.AddSeconds(40), LastError = "registry answered 503" }],
        });

        Assert.Contains("  updates automatically from registry registry.access.redhat.com/rhel7:latest\n    last checked 3 minutes ago, next check in 12 minutes\n", healthy, StringComparison.Ordinal);
        Assert.Contains("    ! check failed 3 times in a row, next retry in 40 seconds: registry answered 503\n", failing, StringComparison.Ordinal);
        Assert.DoesNotContain("next check", failing, StringComparison.Ordinal);
    }

    [Fact]
    public void Describe_ShowsEachTagsSourceImportStateAndHistory()
    {
        var text = ImageStreamDescriber.Describe(RubyStream(), Now);

        Assert.Equal(
            """
            Name:			ruby
            Namespace:		p
            Created:		2 hours ago
            Labels:			app=ruby
            			tier=base
            Description:		Ruby images
            Annotations:		openshift.io/image.dockerRepositoryCheck=2024-01-10T10:00:00Z
            Image Repository:	127.0.0.1:8080/p/ruby
            Image Lookup:		local=true
            Unique Images:		4
            Tags:			5

            2.7 (latest)
              tagged from registry.io/ruby:2.7

              * registry.io/ruby@sha256:aaa
                  2 hours ago
                registry.io/ruby@sha256:bbb
                  3 days ago

            2.6
              updates automatically from registry registry.io/ruby:2.6
                will use insecure HTTPS or HTTP connections
                prefer registry pullthrough when referencing this tag

              ~ importing latest image ...
              ! error: Import failed (Unauthorized): you may not have access to the container image "registry.io/ruby:2.6"
                  5 minutes ago
              * registry.io/ruby@sha256:ccc
                  5 days ago

            old
              no spec tag

              * 127.0.0.1:8080/p/ruby@sha256:ddd
                  10 days ago

            ref
              reference to registry registry.io/ruby:edge

              * registry.io/ruby:edge
                  About a minute ago

            """.ReplaceLineEndings("\n"),
            text);
    }

    [Fact]
    public void Describe_OfAStreamWithoutTags_SaysNone()
    {
        var stream = new ImageStream { Metadata = new ObjectMeta { Name = "empty", Namespace = "p" } };

        var text = ImageStreamDescriber.Describe(stream, Now);

        Assert.EndsWith("Image Repository:\t<none>\nImage Lookup:\t\tlocal=false\nTags:\t\t\t<none>\n", text);
    }

    [Fact]
    public void Describe_ShowsTheImageNameWhenTheReferenceDoesNotEndInIt()
    {
        var stream = new ImageStream
        {
            Metadata = new ObjectMeta { Name = "s", Namespace = "p" },
            Status = new ImageStreamStatus
            {
                Tags = [new NamedTagEventList
                {
                    Tag = "latest",
                    Items = [new TagEvent { Created = Now.AddHours(-2), DockerImageReference = "mysql:latest", Image = "sha256:eee" }],
                }],
            },
        };

        var text = ImageStreamDescriber.Describe(stream, Now);

        Assert.Contains("  * mysql:latest\n      2 hours ago\tsha256:eee\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void UniqueImages_CountsDigestsOnceAndLeavesOutReferencesThatNameNoImage()
    {
        const string Digest = "sha256:1111111111111111111111111111111111111111111111111111111111111111";
        var stream = new ImageStream
        {
            Status = new ImageStreamStatus
            {
                Tags =
                [
                    new NamedTagEventList { Tag = "a", Items = [new TagEvent { DockerImageReference = "registry.io/x@" + Digest, Image = Digest }] },
                    // A reference-only tag to the same image, by digest: the same image.
                    new NamedTagEventList { Tag = "b", Items = [new TagEvent { DockerImageReference = "registry.io/x@" + Digest }] },
                    // References by tag name no image; oc would count them all as one.
                    new NamedTagEventList { Tag = "c", Items = [new TagEvent { DockerImageReference = "registry.io/x:edge" }] },
                    new NamedTagEventList { Tag = "d", Items = [new TagEvent { DockerImageReference = "registry.io/y:edge" }] },
                ],
            },
        };

        Assert.Equal(1, ImageStreamDescriber.UniqueImages(stream));
    }

    internal static ImageStream RubyStream() => new()
    {
        Metadata = new ObjectMeta
        {
            Name = "ruby",
            Namespace = "p",
            CreationTimestamp = Now.AddHours(-2),
            Labels = new Dictionary<string, string> { ["tier"] = "base", ["app"] = "ruby" },
            Annotations = new Dictionary<string, string>
            {
                [ImageApi.DockerRepositoryCheckAnnotation] = "2024-01-10T10:00:00Z",
                ["description"] = "Ruby images",
            },
        },
        Spec = new ImageStreamSpec
        {
            LookupPolicy = new ImageLookupPolicy { Local = true },
            Tags =
            [
                new TagReference
                {
                    Name = "2.7", Generation = 2,
                    From = new ObjectReference { Kind = SourceKinds.DockerImage, Name = "registry.io/ruby:2.7" },
                },
                new TagReference
                {
                    Name = "latest", Generation = 2,
                    From = new ObjectReference { Kind = SourceKinds.ImageStreamTag, Name = "2.7" },
                },
                new TagReference
                {
                    Name = "2.6", Generation = 3,
                    From = new ObjectReference { Kind = SourceKinds.DockerImage, Name = "registry.io/ruby:2.6" },
                    ImportPolicy = new TagImportPolicy { Scheduled = true, Insecure = true },
                    ReferencePolicy = new TagReferencePolicy { Type = ReferencePolicyTypes.Local },
                },
                new TagReference
                {
                    Name = "ref", Generation = 2, Reference = true,
                    From = new ObjectReference { Kind = SourceKinds.DockerImage, Name = "registry.io/ruby:edge" },
                },
            ],
        },
        Status = new ImageStreamStatus
        {
            DockerImageRepository = "127.0.0.1:8080/p/ruby",
            Tags =
            [
                new NamedTagEventList
                {
                    Tag = "2.7",
                    Items =
                    [
                        new TagEvent { Created = Now.AddHours(-2), DockerImageReference = "registry.io/ruby@sha256:aaa", Image = "sha256:aaa", Generation = 2 },
                        new TagEvent { Created = Now.AddDays(-3), DockerImageReference = "registry.io/ruby@sha256:bbb", Image = "sha256:bbb", Generation = 1 },
                    ],
                },
                new NamedTagEventList
                {
                    Tag = "latest",
                    Items = [new TagEvent { Created = Now.AddHours(-2), DockerImageReference = "registry.io/ruby@sha256:aaa", Image = "sha256:aaa", Generation = 2 }],
                },
                new NamedTagEventList
                {
                    Tag = "2.6",
                    Items = [new TagEvent { Created = Now.AddDays(-5), DockerImageReference = "registry.io/ruby@sha256:ccc", Image = "sha256:ccc", Generation = 1 }],
                    Conditions =
                    [
                        new TagEventCondition
                        {
                            Type = TagEventConditionTypes.ImportSuccess, Status = "False", Reason = "Unauthorized",
                            Message = "you may not have access to the container image \"registry.io/ruby:2.6\"",
                            LastTransitionTime = Now.AddMinutes(-5), Generation = 2,
                        },
                    ],
                },
                new NamedTagEventList
                {
                    Tag = "ref",
                    Items = [new TagEvent { Created = Now.AddMinutes(-1), DockerImageReference = "registry.io/ruby:edge", Generation = 2 }],
                },
                new NamedTagEventList
                {
                    Tag = "old",
                    Items = [new TagEvent { Created = Now.AddDays(-10), DockerImageReference = "127.0.0.1:8080/p/ruby@sha256:ddd", Image = "sha256:ddd", Generation = 1 }],
                },
            ],
        },
    };
}
