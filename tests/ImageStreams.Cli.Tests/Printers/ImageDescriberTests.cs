using ImageStreams.Cli.Printers;
using ImageStreams.Model.Image;
using ImageStreams.Model.Meta;

namespace ImageStreams.Cli.Tests.Printers;

public class ImageDescriberTests
{
    [Fact]
    public void Describe_OfTheSeedImage_MatchesTheImageBlockOcPrinted()
    {
        var text = ImageDescriber.Describe(Seed000.Image, "rhel7:latest", Seed000.Now);

        var block = Seed000.ImportOutput[Seed000.ImportOutput.IndexOf("Image Name:", StringComparison.Ordinal)..].TrimEnd('\n') + "\n";
        Assert.Equal(block, text);
    }

    [Fact]
    public void Describe_WithoutAName_StartsWithTheDockerImage()
    {
        var text = ImageDescriber.Describe(Seed000.Image, null, Seed000.Now);

        Assert.StartsWith("Docker Image:\tregistry.access.redhat.com/rhel7@sha256:e3f1", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Describe_ShowsEntrypointPortsUserAndVolumesOfTheConfig()
    {
        var image = new Image
        {
            Metadata = new ObjectMeta { Name = "sha256:abc" },
            DockerImageReference = "registry.io/app@sha256:abc",
            DockerImageLayers = [new ImageLayer { Name = "sha256:l1", Size = 2_000 }],
            DockerImageMetadata = new DockerImageMetadata
            {
                Created = Seed000.Now.AddHours(-3),
                Architecture = "arm64",
                Size = 2_500,
                Config = new DockerConfig
                {
                    Entrypoint = ["/entry", "--flag"],
                    WorkingDir = "/srv",
                    User = "1001",
                    ExposedPorts = new Dictionary<string, object> { ["8443/tcp"] = new(), ["8080/tcp"] = new() },
                    Volumes = new Dictionary<string, object> { ["/data"] = new(), ["/cache"] = new() },
                },
            },
        };

        var text = ImageDescriber.Describe(image, null, Seed000.Now);

        Assert.Equal(
            """
            Docker Image:	registry.io/app@sha256:abc
            Name:		sha256:abc
            Image Size:	2.5kB in 1 layers
            Layers:		2kB	sha256:l1
            Image Created:	3 hours ago
            Author:		<none>
            Arch:		arm64
            Entrypoint:	/entry --flag
            Working Dir:	/srv
            User:		1001
            Exposes Ports:	8080/tcp, 8443/tcp
            Docker Labels:	<none>
            Volumes:	/cache
            		/data

            """.ReplaceLineEndings("\n"),
            text);
    }

    [Fact]
    public void Describe_OfAManifestList_ListsItsPlatformsInsteadOfLayers()
    {
        var image = new Image
        {
            Metadata = new ObjectMeta { Name = "sha256:list" },
            DockerImageReference = "registry.io/app@sha256:list",
            DockerImageMetadata = new DockerImageMetadata { Created = Seed000.Now.AddDays(-2) },
            DockerImageManifests =
            [
                new ImageManifest { Digest = "sha256:amd", Os = "linux", Architecture = "amd64" },
                new ImageManifest { Digest = "sha256:arm", Os = "linux", Architecture = "arm", Variant = "v7" },
            ],
        };

        var text = ImageDescriber.Describe(image, "app:latest", Seed000.Now);

        Assert.Equal(
            """
            Image Name:	app:latest
            Docker Image:	registry.io/app@sha256:list
            Name:		sha256:list
            Manifests:	linux/amd64	sha256:amd
            		linux/arm/v7	sha256:arm
            Image Created:	2 days ago

            """.ReplaceLineEndings("\n"),
            text);
    }
}
