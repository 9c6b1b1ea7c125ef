using ImageStreams.Cli.Resources;
using ImageStreams.Model.Meta;

namespace ImageStreams.Cli.Tests.Resources;

public sealed class ManifestReaderTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("isctl-manifests-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void Read_SplitsDocumentsAndExpandsLists()
    {
        var file = Write("all.yaml", """
            apiVersion: v1
            kind: Namespace
            metadata: {name: team-a}
            ---
            apiVersion: v1
            kind: List
            items:
            - apiVersion: image.openshift.io/v1
              kind: ImageStream
              metadata: {name: rhel7}
            - apiVersion: v1
              kind: Secret
              metadata: {name: pull}
            """);

        var manifests = ManifestReader.Read([file], TextReader.Null, "apply");

        Assert.Equal([ResourceTypes.Namespaces, ResourceTypes.ImageStreams, ResourceTypes.Secrets], manifests.Select(m => m.Type));
        Assert.Equal(["team-a", "rhel7", "pull"], manifests.Select(m => m.Name));
    }

    [Fact]
    public void Read_OfADirectory_TakesItsYamlAndJsonFilesInNameOrder()
    {
        Write("b.json", """{"apiVersion": "image.openshift.io/v1", "kind": "ImageStream", "metadata": {"name": "b"}}""");
        Write("a.yml", "apiVersion: image.openshift.io/v1\nkind: ImageStream\nmetadata: {name: a}\n");
        Write("notes.txt", "not a manifest");

        var manifests = ManifestReader.Read([directory], TextReader.Null, "apply");

        Assert.Equal(["a", "b"], manifests.Select(m => m.Name));
    }

    [Fact]
    public void Read_OfDash_ReadsStandardInput()
    {
        var manifests = ManifestReader.Read(["-"], new StringReader("apiVersion: v1\nkind: Namespace\nmetadata: {name: x}\n"), "create");

        Assert.Equal("STDIN", Assert.Single(manifests).Source);
    }

    [Fact]
    public void Read_OfMalformedYaml_SaysWhereItFailed()
    {
        var file = Write("bad.yaml", "apiVersion: v1\nkind: [Namespace\nmetadata: {name: x}\n");

        var error = Assert.Throws<CliException>(() => ManifestReader.Read([file], TextReader.Null, "apply"));

        Assert.StartsWith($"error parsing {file}: invalid YAML at line", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_OfADocumentWithoutKind_NamesWhatIsMissing()
    {
        var file = Write("nokind.yaml", "metadata: {name: x}\n");

        var error = Assert.Throws<CliException>(() => ManifestReader.Read([file], TextReader.Null, "apply"));

        Assert.Equal($"error validating {file}: apiVersion not set, kind not set", error.Message);
    }

    [Fact]
    public void Read_OfAnUnknownKind_SaysNoResourceMatches()
    {
        var file = Write("pod.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: web}\n");

        var error = Assert.Throws<CliException>(() => ManifestReader.Read([file], TextReader.Null, "apply"));

        Assert.Contains("no matches for kind \"Pod\" in version \"v1\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_OfAMissingPath_SaysItDoesNotExist()
    {
        var error = Assert.Throws<CliException>(() => ManifestReader.Read(["/nonexistent/x.yaml"], TextReader.Null, "apply"));

        Assert.Equal("the path \"/nonexistent/x.yaml\" does not exist", error.Message);
    }

    [Fact]
    public void Read_OfAnEmptyFile_SaysThereIsNothingToDo()
    {
        var file = Write("empty.yaml", "# nothing\n");

        var error = Assert.Throws<CliException>(() => ManifestReader.Read([file], TextReader.Null, "apply"));

        Assert.Equal("no objects passed to apply", error.Message);
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(directory, name);
        File.WriteAllText(path, text);
        return path;
    }
}
