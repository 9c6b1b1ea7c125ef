namespace ImageStreams.Cli.Tests.EndToEnd;

[Collection(RegistryCollection.Name)]
public sealed class DescribeImageTests(RegistryFixture fixture) : IDisposable
{
    private readonly CliRunner cli = new(fixture.Address, fixture.Token);

    private string Registry => fixture.Registry.Host;

    public void Dispose() => cli.Dispose();

    [Fact]
    public async Task DescribeIstagIsimageAndImage_PrintTheImageBlockOfTheSeed()
    {
        await NewProjectAsync("descimg");
        var digest = await fixture.PushAsync("described", "latest", "1");
        Assert.Equal(0, (await cli.RunAsync("import-image", "described", "--from", $"{Registry}/described:latest", "--confirm")).ExitCode);

        var istag = await cli.RunAsync("describe", "istag", "described:latest");
        var isimage = await cli.RunAsync("describe", "isimage", $"described@{digest}");
        var image = await cli.RunAsync("describe", "image", digest);

        Assert.True(istag.ExitCode == 0, istag.ToString());
        Assert.True(isimage.ExitCode == 0, isimage.ToString());
        Assert.True(image.ExitCode == 0, image.ToString());
        var body = $"Docker Image:\t{Registry}/described@{digest}\nName:\t\t{digest}\nCreated:\t";
        Assert.StartsWith("Image Name:\tdescribed:latest\n" + body, istag.Out, StringComparison.Ordinal);
        Assert.StartsWith($"Image Name:\tdescribed@{digest}\n" + body, isimage.Out, StringComparison.Ordinal);
        Assert.StartsWith(body, image.Out, StringComparison.Ordinal);
        foreach (var text in new[] { istag.Out, isimage.Out, image.Out })
        {
            Assert.Matches(@"\nImage Size:\t[\d.]+[kM]?B in 1 layers\nLayers:\t\t[\d.]+[kM]?B\tsha256:[0-9a-f]{64}\nImage Created:\t", text);
            Assert.Contains("\nAuthor:\t\tRed Hat, Inc.\nArch:\t\tamd64\nCommand:\t/bin/bash\nWorking Dir:\t<none>\nUser:\t\t<none>\nExposes Ports:\t<none>\n", text, StringComparison.Ordinal);
            Assert.Contains("\nDocker Labels:\tarchitecture=x86_64\n\t\tname=described\n\t\trelease=1\n\t\tvendor=Red Hat, Inc.\n\t\tversion=7.6\n", text, StringComparison.Ordinal);
            Assert.EndsWith("\nEnvironment:\tPATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n\t\tcontainer=oci\n", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task DescribeOfATagWithoutImage_SaysWhyAndFails()
    {
        await NewProjectAsync("descnone");
        var file = cli.WriteFile("pending.yaml", """
            apiVersion: image.openshift.io/v1
            kind: ImageStream
            metadata:
              name: pending
            spec:
              tags:
              - name: latest
                reference: true
                from: {kind: DockerImage, name: "registry.invalid/pending:latest"}
            """);
        Assert.Equal(0, (await cli.RunAsync("apply", "-f", file)).ExitCode);

        var result = await cli.RunAsync("describe", "istag", "pending:latest");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("error: image stream tag \"pending:latest\" does not point to an image", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetIstagAndImages_ListWhatWasImported()
    {
        await NewProjectAsync("getimg");
        var digest = await fixture.PushAsync("listed", "latest", "1");
        Assert.Equal(0, (await cli.RunAsync("import-image", "listed", "--from", $"{Registry}/listed:latest", "--confirm")).ExitCode);

        var tags = await cli.RunAsync("get", "istag");
        var images = await cli.RunAsync("get", "images");

        Assert.True(tags.ExitCode == 0, tags.ToString());
        var lines = tags.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^NAME\s+IMAGE REFERENCE\s+UPDATED$", lines[0]);
        Assert.Matches($@"^listed:latest\s+{Registry}/listed@{digest}\s+(Less than a second|\d+ seconds?) ago$", lines[1]);
        Assert.True(images.ExitCode == 0, images.ToString());
        Assert.Contains($"{digest}   {Registry}/listed@{digest}", images.Out, StringComparison.Ordinal);
    }

    private async Task NewProjectAsync(string prefix)
    {
        var created = await cli.RunAsync("new-project", ServerFixture.UniqueNamespace(prefix));
        Assert.True(created.ExitCode == 0, created.ToString());
    }
}
