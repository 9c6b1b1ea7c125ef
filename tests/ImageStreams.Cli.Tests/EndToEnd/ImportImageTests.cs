using System.Text.RegularExpressions;
using ImageStreams.Model.Serialization;

namespace ImageStreams.Cli.Tests.EndToEnd;

[Collection(RegistryCollection.Name)]
public sealed partial class ImportImageTests(RegistryFixture fixture) : IDisposable
{
    private readonly CliRunner cli = new(fixture.Address, fixture.Token);

    private string Registry => fixture.Registry.Host;

    public void Dispose() => cli.Dispose();

    [Fact]
    public async Task TheSeedCommand_PrintsTheImportedStreamAndItsImageAsOcDoes()
    {
        var ns = await NewProjectAsync("seed");
        var digest = await fixture.PushAsync("rhel7", "latest", "1");

        var result = await cli.RunAsync("import-image", "--scheduled=true", "--confirm=true", "--from", $"{Registry}/rhel7:latest", "rhel7:latest");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("", result.Error);
        Assert.Equal(
            $"""
            imagestream.image.openshift.io/rhel7 imported

            Name:			rhel7
            Namespace:		{ns}
            Created:		AGE
            Labels:			<none>
            Annotations:		openshift.io/image.dockerRepositoryCheck=TIME
            Image Repository:	{fixture.ServerHost}/{ns}/rhel7
            Image Lookup:		local=false
            Unique Images:		1
            Tags:			1

            latest
              updates automatically from registry {Registry}/rhel7:latest

              * {Registry}/rhel7@DIGEST
                  AGE

            Image Name:	rhel7:latest
            Docker Image:	{Registry}/rhel7@DIGEST
            Name:		DIGEST
            Annotations:	image.openshift.io/dockerLayersOrder=ascending
            Image Size:	SIZE in 1 layers
            Layers:		SIZE	LAYER
            Image Created:	AGE
            Author:		Red Hat, Inc.
            Arch:		amd64
            Command:	/bin/bash
            Working Dir:	<none>
            User:		<none>
            Exposes Ports:	<none>
            Docker Labels:	architecture=x86_64
            		name=rhel7
            		release=1
            		vendor=Red Hat, Inc.
            		version=7.6
            Environment:	PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
            		container=oci



            """.ReplaceLineEndings("\n"),
            Normalize(result.Out, digest));

        // describe shows the same stream block, plus when the scheduled tag is checked next.
        var described = await cli.RunAsync("describe", "is", "rhel7");
        Assert.True(described.ExitCode == 0, described.ToString());
        const string ScheduleLine = @"\n    (last checked [^\n]+, )?next check (in [^\n]+|now)";
        Assert.Matches(ScheduleLine, described.Out);
        var streamBlock = result.Out[(result.Out.IndexOf("\n\n", StringComparison.Ordinal) + 2)..result.Out.IndexOf("Image Name:", StringComparison.Ordinal)];
        Assert.Equal(Normalize(streamBlock, digest), Normalize(System.Text.RegularExpressions.Regex.Replace(described.Out, ScheduleLine, "") + "\n", digest));

        // get -o yaml has the seed's shape.
        var yaml = await cli.RunAsync("get", "is", "rhel7", "-o", "yaml");
        Assert.True(yaml.ExitCode == 0, yaml.ToString());
        var stream = Yaml.ParseDocuments(yaml.Out).Single();
        Assert.NotNull(stream["metadata"]!["annotations"]!["openshift.io/image.dockerRepositoryCheck"]);
        Assert.Equal(1, stream["metadata"]!["generation"]!.GetValue<long>());
        var tag = stream["spec"]!["tags"]![0]!;
        Assert.Equal("latest", tag["name"]!.GetValue<string>());
        Assert.Equal("DockerImage", tag["from"]!["kind"]!.GetValue<string>());
        Assert.Equal($"{Registry}/rhel7:latest", tag["from"]!["name"]!.GetValue<string>());
        Assert.Equal(1, tag["generation"]!.GetValue<long>());
        Assert.True(tag["importPolicy"]!["scheduled"]!.GetValue<bool>());
        Assert.Equal("Source", tag["referencePolicy"]!["type"]!.GetValue<string>());
        Assert.Equal($"{fixture.ServerHost}/{ns}/rhel7", stream["status"]!["dockerImageRepository"]!.GetValue<string>());
        var history = stream["status"]!["tags"]![0]!;
        Assert.Equal("latest", history["tag"]!.GetValue<string>());
        var item = Assert.Single(history["items"]!.AsArray())!;
        Assert.Equal($"{Registry}/rhel7@{digest}", item["dockerImageReference"]!.GetValue<string>());
        Assert.Equal(digest, item["image"]!.GetValue<string>());
        Assert.Equal(1, item["generation"]!.GetValue<long>());
        Assert.NotNull(item["created"]);
    }

    [Fact]
    public async Task ANewStreamWithoutConfirm_FailsWithOcsMessageAndCreatesNothing()
    {
        await NewProjectAsync("noconfirm");

        var result = await cli.RunAsync("import-image", "app", "--from", $"{Registry}/rhel7:latest");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("error: no image stream named \"app\" exists, pass --confirm to create and import\n", result.Error);
        Assert.Equal(1, (await cli.RunAsync("get", "is", "app")).ExitCode);
    }

    [Fact]
    public async Task ATagTheRegistryDoesNotHave_FailsWithTheReasonTheServerGives()
    {
        await NewProjectAsync("unknown");
        await fixture.PushAsync("known", "latest", "1");

        var result = await cli.RunAsync("import-image", "app:latest", "--from", $"{Registry}/known:nope", "--confirm");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("imagestream.image.openshift.io/app imported with errors\n\n", result.Out, StringComparison.Ordinal);
        Assert.StartsWith("error: tag latest failed: ", result.Error, StringComparison.Ordinal);
        Assert.Contains($"{Registry}/known:nope", result.Error, StringComparison.Ordinal);
        // The failure is recorded on the tag, as describe shows it.
        var described = await cli.RunAsync("describe", "is", "app");
        Assert.Contains("  ! error: Import failed (NotFound): ", described.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DryRun_ShowsWhatTheImportWouldFindAndWritesNothing()
    {
        await NewProjectAsync("dryrun");
        var digest = await fixture.PushAsync("dry", "latest", "1");

        var result = await cli.RunAsync("import-image", "dry", "--from", $"{Registry}/dry:latest", "--confirm", "--dry-run");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.StartsWith("imagestream.image.openshift.io/dry imported (dry run)\n\n", result.Out, StringComparison.Ordinal);
        Assert.Contains($"  * {Registry}/dry@{digest}\n", result.Out, StringComparison.Ordinal);
        Assert.Contains("Image Name:\tdry:latest\n", result.Out, StringComparison.Ordinal);
        Assert.Equal(1, (await cli.RunAsync("get", "is", "dry")).ExitCode);
    }

    [Fact]
    public async Task ReimportingAnExistingStream_FollowsItsTagsSourceAndAddsHistoryOnlyWhenTheImageMoved()
    {
        await NewProjectAsync("reimport");
        var first = await fixture.PushAsync("moving", "latest", "1");
        Assert.Equal(0, (await cli.RunAsync("import-image", "moving", "--from", $"{Registry}/moving:latest", "--confirm")).ExitCode);
        var before = await ResourceVersionAsync("moving");

        var unchanged = await cli.RunAsync("import-image", "moving");

        Assert.True(unchanged.ExitCode == 0, unchanged.ToString());
        Assert.Equal(before, await ResourceVersionAsync("moving"));

        var second = await fixture.PushAsync("moving", "latest", "2");
        var moved = await cli.RunAsync("import-image", "moving:latest");

        Assert.True(moved.ExitCode == 0, moved.ToString());
        var described = await cli.RunAsync("describe", "is", "moving");
        Assert.Contains($"  * {Registry}/moving@{second}\n      ", described.Out, StringComparison.Ordinal);
        Assert.Contains($"    {Registry}/moving@{first}\n      ", described.Out, StringComparison.Ordinal);
        Assert.Contains("Unique Images:\t\t2\n", described.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReimportingATagTheStreamDoesNotHave_SaysSoAsOcDoes()
    {
        await NewProjectAsync("notag");
        await fixture.PushAsync("notag", "latest", "1");
        Assert.Equal(0, (await cli.RunAsync("import-image", "notag", "--from", $"{Registry}/notag:latest", "--confirm")).ExitCode);

        var result = await cli.RunAsync("import-image", "notag:7.9");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(
            "error: the tag \"7.9\" does not exist on the image stream - choose an existing tag to import or use the 'tag' command to create a new tag\n",
            result.Error);
    }

    [Fact]
    public async Task AllWithMoreTagsThanTheServersLimit_ImportsTheFirstInPriorityOrderAndNamesTheRest()
    {
        await NewProjectAsync("all");
        foreach (var tag in new[] { "edge", "1.0", "latest", "2.0", "1.1" })
        {
            await fixture.PushAsync("many", tag, "1");
        }

        var result = await cli.RunAsync("import-image", "many", "--from", $"{Registry}/many", "--all", "--confirm");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.EndsWith(
            $"\ninfo: The remote repository contained 2 additional tags which were not imported: 1.0, edge\n\n",
            result.Out, StringComparison.Ordinal);
        foreach (var tag in new[] { "latest", "2.0", "1.1" })
        {
            Assert.Contains($"Image Name:\tmany:{tag}\n", result.Out, StringComparison.Ordinal);
        }
        var spec = Yaml.ParseDocuments((await cli.RunAsync("get", "is", "many", "-o", "yaml")).Out).Single()["spec"]!["tags"]!.AsArray();
        Assert.Equal(["1.1", "2.0", "latest"], spec.Select(t => t!["name"]!.GetValue<string>()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task OutputYaml_PrintsTheStreamAsTheImportLeftIt()
    {
        await NewProjectAsync("yaml");
        var digest = await fixture.PushAsync("asyaml", "latest", "1");

        var result = await cli.RunAsync("import-image", "asyaml", "--from", $"{Registry}/asyaml:latest", "--confirm", "-o", "yaml");

        Assert.True(result.ExitCode == 0, result.ToString());
        var stream = Yaml.ParseDocuments(result.Out).Single();
        Assert.Equal("ImageStream", stream["kind"]!.GetValue<string>());
        Assert.Equal(digest, stream["status"]!["tags"]![0]!["items"]![0]!["image"]!.GetValue<string>());
    }

    /// <summary>The parts of a report that change from run to run (ages, times, digests, sizes) as fixed words.</summary>
    internal static string Normalize(string text, string digest)
    {
        text = text.Replace(digest, "DIGEST", StringComparison.Ordinal);
        text = Age().Replace(text, "AGE");
        text = Time().Replace(text, "TIME");
        text = Layer().Replace(text, "\tSIZE\tLAYER");
        text = ImageSize().Replace(text, "Image Size:\tSIZE in");
        // Whether the import result carries the image's creation time depends on the server; the seed's oc printed it.
        return ImageCreated().Replace(text, "");
    }

    private async Task<string> NewProjectAsync(string prefix)
    {
        var ns = ServerFixture.UniqueNamespace(prefix);
        var created = await cli.RunAsync("new-project", ns);
        Assert.True(created.ExitCode == 0, created.ToString());
        return ns;
    }

    private async Task<string> ResourceVersionAsync(string stream)
    {
        var yaml = await cli.RunAsync("get", "is", stream, "-o", "yaml");
        return Yaml.ParseDocuments(yaml.Out).Single()["metadata"]!["resourceVersion"]!.GetValue<string>();
    }

    [GeneratedRegex(@"(Less than a second|About an? \w+|\d+ \w+) ago")]
    private static partial Regex Age();

    [GeneratedRegex(@"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")]
    private static partial Regex Time();

    [GeneratedRegex(@"\t[\d.]+[kMG]?B\tsha256:[0-9a-f]{64}")]
    private static partial Regex Layer();

    [GeneratedRegex(@"Image Size:\t[\d.]+[kMG]?B in")]
    private static partial Regex ImageSize();

    [GeneratedRegex(@"^Created:\tAGE\n", RegexOptions.Multiline)]
    private static partial Regex ImageCreated();
}
