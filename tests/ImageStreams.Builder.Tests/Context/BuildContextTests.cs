using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using ImageStreams.Builder.Context;
using ImageStreams.Testing.Processes;

namespace ImageStreams.Builder.Tests.Context;

public class BuildContextTests : IDisposable
{
    private readonly TempDirectory directory = new("context");

    public void Dispose() => directory.Dispose();

    [Theory]
    [InlineData("*.log", "debug.log", true)]
    [InlineData("*.log", "sub/debug.log", false)]
    [InlineData("**/*.log", "sub/deep/debug.log", true)]
    [InlineData("build", "build/out/a.o", true)]
    [InlineData("/secrets/", "secrets/key", true)]
    [InlineData("te?t", "test", true)]
    [InlineData("[a-c]*", "beta", true)]
    [InlineData("[a-c]*", "delta", false)]
    public void DockerIgnore_MatchesLikeDocker(string pattern, string path, bool excluded) =>
        Assert.Equal(excluded, DockerIgnore.FromLines([pattern]).IsExcluded(path));

    [Fact]
    public void DockerIgnore_ExceptionAfterAnExclusion_ReincludesTheFile()
    {
        var ignore = DockerIgnore.FromLines(["# comment", "*.md", "!README.md", ""]);

        Assert.True(ignore.IsExcluded("CHANGES.md"));
        Assert.False(ignore.IsExcluded("README.md"));
    }

    [Fact]
    public void Resolve_DirectorySource_CopiesItsContentsNotTheDirectory()
    {
        Write("src/a.txt", "a");
        Write("src/sub/b.txt", "b");

        var entries = Context().Resolve(["src"], "/app", "/", new CopyOptions(), "COPY");

        Assert.Equal(["app", "app/a.txt", "app/sub", "app/sub/b.txt"], entries.Select(e => e.Path));
    }

    [Fact]
    public void Resolve_RelativeDestination_IsUnderTheWorkingDirectory()
    {
        Write("a.txt", "a");

        var entries = Context().Resolve(["a.txt"], "renamed.txt", "/srv/www", new CopyOptions(), "COPY");

        Assert.Equal(["srv", "srv/www", "srv/www/renamed.txt"], entries.Select(e => e.Path));
    }

    [Fact]
    public void Resolve_AddOfATarGz_UnpacksItIntoTheDestination()
    {
        var archive = directory.Combine("site.tar.gz");
        using (var file = File.Create(archive))
        using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
        using (var tar = new TarWriter(gzip))
        {
            tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "index.html") { DataStream = new MemoryStream(Encoding.UTF8.GetBytes("<h1/>")) });
        }

        var entries = Context().Resolve(["site.tar.gz"], "/var/www/", "/", new CopyOptions(ExtractArchives: true), "ADD");

        var index = Assert.Single(entries, e => e.Path == "var/www/index.html");
        Assert.Equal("<h1/>", Encoding.UTF8.GetString(index.Content!));
    }

    [Fact]
    public void Resolve_ArchiveEntryOutsideItsRoot_IsRefused()
    {
        var archive = directory.Combine("bad.tar");
        using (var file = File.Create(archive))
        using (var tar = new TarWriter(file))
        {
            tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "../../etc/passwd") { DataStream = new MemoryStream([1]) });
        }

        var error = Assert.Throws<BuildException>(() => Context().Resolve(["bad.tar"], "/", "/", new CopyOptions(ExtractArchives: true), "ADD"));

        Assert.Contains("has an entry outside its root", error.Message);
    }

    private BuildContext Context() => new(directory.Path, DockerIgnore.Load(directory.Path));

    private void Write(string path, string content)
    {
        var full = directory.Combine(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
    }
}
