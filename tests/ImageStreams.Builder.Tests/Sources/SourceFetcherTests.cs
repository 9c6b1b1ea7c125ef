using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using ImageStreams.Builder.Sources;
using ImageStreams.Testing.Http;
using ImageStreams.Testing.Processes;

namespace ImageStreams.Builder.Tests.Sources;

public class SourceFetcherTests : IDisposable
{
    private readonly TempDirectory directory = new("sources");
    private readonly SourceFetcher fetcher = new(new BuilderOptions());

    public void Dispose() => directory.Dispose();

    [Fact]
    public async Task CloneAsync_LocalPath_ChecksOutTheDefaultBranch()
    {
        var (repository, commits) = await RepositoryAsync();

        var commit = await fetcher.CloneAsync(repository, null, directory.Combine("out"), TextWriter.Null);

        Assert.Equal(commits["main-2"], commit);
        Assert.Equal("v2", await System.IO.File.ReadAllTextAsync(directory.Combine("out", "Dockerfile")));
    }

    [Theory]
    [InlineData("feature", "feature-1", "feature")]
    [InlineData("v1.0", "main-1", "v1")]
    public async Task CloneAsync_FileUrlAtABranchOrTag_ChecksItOutShallow(string gitRef, string expectedCommit, string content)
    {
        var (repository, commits) = await RepositoryAsync();

        var commit = await fetcher.CloneAsync("file://" + repository, gitRef, directory.Combine("out"), TextWriter.Null);

        Assert.Equal(commits[expectedCommit], commit);
        Assert.Equal(content, await System.IO.File.ReadAllTextAsync(directory.Combine("out", "Dockerfile")));
        var depth = await ProcessRunner.RunCheckedAsync("git", ["-C", directory.Combine("out"), "rev-list", "--count", "HEAD"]);
        Assert.Equal("1", depth.StandardOutput.Trim());
    }

    [Fact]
    public async Task CloneAsync_AtACommitId_ChecksOutThatCommit()
    {
        var (repository, commits) = await RepositoryAsync();
        var log = new StringWriter();

        var commit = await fetcher.CloneAsync("file://" + repository, commits["main-1"][..10], directory.Combine("out"), log);

        Assert.Equal(commits["main-1"], commit);
        Assert.Equal("v1", await System.IO.File.ReadAllTextAsync(directory.Combine("out", "Dockerfile")));
        Assert.Contains($"Commit {commits["main-1"]}", log.ToString());
    }

    [Fact]
    public async Task CloneAsync_UnknownRef_FailsWithFetchSourceFailed()
    {
        var (repository, _) = await RepositoryAsync();

        var error = await Assert.ThrowsAsync<BuildException>(() => fetcher.CloneAsync(repository, "no-such-branch", directory.Combine("out"), TextWriter.Null));

        Assert.Equal(BuildReasons.FetchSourceFailed, error.Reason);
        Assert.Contains("no-such-branch", error.Message);
    }

    [Theory]
    [InlineData("--upload-pack=touch /tmp/x", null, "is not a git repository URL")]
    [InlineData("/tmp/repo", "--output=/etc/x", "is not a git branch, tag or commit")]
    public async Task CloneAsync_ArgumentsThatLookLikeOptions_AreRefused(string uri, string? gitRef, string message)
    {
        var error = await Assert.ThrowsAsync<BuildException>(() => fetcher.CloneAsync(uri, gitRef, directory.Combine("out"), TextWriter.Null));

        Assert.Contains(message, error.Message);
    }

    [Fact]
    public async Task CloneAsync_ServerAskingForCredentials_FailsAtOnceWithoutPrompting_AndHidesThePassword()
    {
        await using var server = await ScriptedHttpServer.StartAsync();
        server.Script("GET", "/team/repo.git/info/refs", ScriptedResponse.WithStatus(401) with { Headers = new Dictionary<string, string> { ["WWW-Authenticate"] = "Basic realm=\"git\"" } });
        var watch = System.Diagnostics.Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<BuildException>(() => fetcher.CloneAsync($"http://user:s3cret@{server.Authority}/team/repo.git", null, directory.Combine("out"), TextWriter.Null));

        Assert.Equal(BuildReasons.FetchSourceFailed, error.Reason);
        Assert.DoesNotContain("s3cret", error.Message);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task ExtractArchiveAsync_GzipArchive_UnpacksFilesDirectoriesModesAndInsideLinks()
    {
        var archive = Archive(gzip: true, tar =>
        {
            tar.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "app/"));
            tar.WriteEntry(Entry("app/run.sh", "#!/bin/sh", (UnixFileMode)0b111_101_101));
            tar.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "app/start") { LinkName = "run.sh" });
            tar.WriteEntry(new PaxTarEntry(TarEntryType.HardLink, "app/copy.sh") { LinkName = "app/run.sh" });
        });

        await fetcher.ExtractArchiveAsync(archive, directory.Combine("out"));

        Assert.Equal("#!/bin/sh", await System.IO.File.ReadAllTextAsync(directory.Combine("out", "app", "run.sh")));
        Assert.Equal((UnixFileMode)0b111_101_101, new FileInfo(directory.Combine("out", "app", "run.sh")).UnixFileMode);
        Assert.Equal("run.sh", new FileInfo(directory.Combine("out", "app", "start")).LinkTarget);
        Assert.Equal("#!/bin/sh", await System.IO.File.ReadAllTextAsync(directory.Combine("out", "app", "copy.sh")));
    }

    public static TheoryData<string, string> EscapingArchives => new()
    {
        { "dotdot", "escapes the destination" },
        { "absolute", "has an absolute path" },
        { "symlink-absolute", "outside the destination" },
        { "symlink-up", "outside the destination" },
        { "hardlink-out", "is a hard link to" },
        { "through-symlink", "is written through a symbolic link" },
    };

    [Theory]
    [MemberData(nameof(EscapingArchives))]
    public async Task ExtractArchiveAsync_EntryEscapingTheDestination_IsRefused(string kind, string message)
    {
        var archive = Archive(gzip: false, tar =>
        {
            switch (kind)
            {
                case "dotdot":
                    tar.WriteEntry(Entry("a/../../evil", "x"));
                    break;
                case "absolute":
                    tar.WriteEntry(Entry("/etc/evil", "x"));
                    break;
                case "symlink-absolute":
                    tar.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "link") { LinkName = "/etc" });
                    break;
                case "symlink-up":
                    tar.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "a/link") { LinkName = "../../outside" });
                    break;
                case "hardlink-out":
                    tar.WriteEntry(new PaxTarEntry(TarEntryType.HardLink, "passwd") { LinkName = "../../../etc/passwd" });
                    break;
                default:
                    tar.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "inside") { LinkName = "." });
                    tar.WriteEntry(Entry("inside/x", "x"));
                    break;
            }
        });

        var error = await Assert.ThrowsAsync<BuildException>(() => fetcher.ExtractArchiveAsync(archive, directory.Combine("out")));

        Assert.Equal(BuildReasons.FetchSourceFailed, error.Reason);
        Assert.Contains(message, error.Message);
        Assert.False(System.IO.File.Exists(Path.Combine(Path.GetDirectoryName(directory.Path)!, "evil")));
    }

    [Fact]
    public async Task ExtractArchiveAsync_Garbage_FailsWithAClearError()
    {
        var error = await Assert.ThrowsAsync<BuildException>(() => fetcher.ExtractArchiveAsync(new MemoryStream(Encoding.UTF8.GetBytes(new string('x', 2000))), directory.Combine("out")));

        Assert.StartsWith("the archive cannot be read", error.Message);
    }

    private async Task<(string Path, Dictionary<string, string> Commits)> RepositoryAsync()
    {
        var path = directory.Combine("repo");
        Directory.CreateDirectory(path);
        var commits = new Dictionary<string, string>();
        async Task Git(params string[] args) => await ProcessRunner.RunCheckedAsync("git", ["-C", path, "-c", "user.name=t", "-c", "user.email=t@example.com", .. args]);
        async Task Commit(string name, string content)
        {
            await System.IO.File.WriteAllTextAsync(System.IO.Path.Combine(path, "Dockerfile"), content);
            await Git("add", "Dockerfile");
            await Git("commit", "-q", "-m", name);
            commits[name] = (await ProcessRunner.RunCheckedAsync("git", ["-C", path, "rev-parse", "HEAD"])).StandardOutput.Trim();
        }
        await Git("init", "-q", "-b", "main");
        await Commit("main-1", "v1");
        await Git("tag", "v1.0");
        await Git("checkout", "-q", "-b", "feature");
        await Commit("feature-1", "feature");
        await Git("checkout", "-q", "main");
        await Commit("main-2", "v2");
        return (path, commits);
    }

    private static PaxTarEntry Entry(string name, string content, UnixFileMode mode = (UnixFileMode)0b110_100_100) =>
        new(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)), Mode = mode };

    private static MemoryStream Archive(bool gzip, Action<TarWriter> write)
    {
        var buffer = new MemoryStream();
        using (Stream target = gzip ? new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true) : new NonClosing(buffer))
        using (var tar = new TarWriter(target, leaveOpen: true))
        {
            write(tar);
        }
        buffer.Position = 0;
        return buffer;
    }

    private sealed class NonClosing(Stream inner) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => inner.Length;
        public override long Position { get => inner.Position; set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);
    }
}
