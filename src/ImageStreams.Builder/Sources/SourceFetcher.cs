using System.Formats.Tar;
using System.IO.Compression;
using System.Text.RegularExpressions;
using ImageStreams.Builder.Processes;

namespace ImageStreams.Builder.Sources;

/// <summary>
/// Fetches build sources: git repositories through the <c>git</c> command (shallow when the ref allows it, never
/// prompting), and tar archives unpacked with every entry checked to stay inside the destination.
/// </summary>
internal sealed partial class SourceFetcher(BuilderOptions options) : ISourceFetcher
{
    public async Task<string> CloneAsync(string uri, string? gitRef, string destination, TextWriter log, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(uri);
        ArgumentNullException.ThrowIfNull(log);
        var shown = WithoutCredentials(uri);
        if (uri.Length == 0 || uri.StartsWith('-') || uri.Contains('\n', StringComparison.Ordinal))
        {
            throw new BuildException(BuildReasons.FetchSourceFailed, $"\"{shown}\" is not a git repository URL or path");
        }
        if (gitRef is not null && (gitRef.Length == 0 || gitRef.StartsWith('-') || !RefPattern().IsMatch(gitRef)))
        {
            throw new BuildException(BuildReasons.FetchSourceFailed, $"\"{gitRef}\" is not a git branch, tag or commit");
        }
        if (Directory.Exists(destination) && Directory.EnumerateFileSystemEntries(destination).Any())
        {
            throw new BuildException(BuildReasons.FetchSourceFailed, $"the clone destination {destination} is not empty");
        }
        if (ChildProcess.Resolve(options.GitPath) is null)
        {
            throw new BuildException(BuildReasons.FetchSourceFailed, $"git is not installed (no \"{options.GitPath}\" on PATH): apt-get install git");
        }
        Directory.CreateDirectory(destination);
        Log(log, gitRef is null ? $"Cloning {shown}" : $"Cloning {shown} at {gitRef}");

        // A branch or tag clones shallow in one step; a commit id needs the history that holds it.
        var shallow = new List<string> { "clone", "--depth", "1", "--no-tags" };
        if (gitRef is not null)
        {
            shallow.AddRange(["--branch", gitRef]);
        }
        shallow.AddRange(["--", uri, destination]);
        var cloned = await GitAsync(shallow, destination, log, cancellationToken, failOnError: gitRef is null || !CommitPattern().IsMatch(gitRef)).ConfigureAwait(false);
        if (!cloned)
        {
            Directory.Delete(destination, recursive: true);
            Directory.CreateDirectory(destination);
            await GitAsync(["clone", "--no-checkout", "--", uri, destination], destination, log, cancellationToken).ConfigureAwait(false);
            await GitAsync(["-C", destination, "checkout", "--detach", gitRef! + "^{commit}"], destination, log, cancellationToken).ConfigureAwait(false);
        }
        var commit = await RevParseAsync(destination, cancellationToken).ConfigureAwait(false);
        Log(log, $"Commit {commit}");
        return commit;
    }

    public Task ExtractArchiveAsync(Stream archive, string destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(archive);
        var root = Path.GetFullPath(Directory.CreateDirectory(destination).FullName);
        return Task.Run(() => ArchiveExtractor.Extract(archive, root, cancellationToken), cancellationToken);
    }

    private async Task<bool> GitAsync(IEnumerable<string> arguments, string destination, TextWriter log, CancellationToken cancellationToken, bool failOnError = true)
    {
        var result = await ChildProcess.RunAsync(options.GitPath, arguments, Path.GetDirectoryName(Path.GetFullPath(destination))!, GitEnvironment,
            line => Log(log, WithoutCredentials(line)), options.ProcessTimeout, cancellationToken).ConfigureAwait(false);
        if (result.ExitCode == 0)
        {
            return true;
        }
        if (!failOnError)
        {
            return false;
        }
        throw new BuildException(BuildReasons.FetchSourceFailed, $"git {arguments.First()} failed (exit code {result.ExitCode}): {WithoutCredentials(result.Tail)}");
    }

    private async Task<string> RevParseAsync(string destination, CancellationToken cancellationToken)
    {
        var lines = new List<string>();
        var result = await ChildProcess.RunAsync(options.GitPath, ["-C", destination, "rev-parse", "HEAD"], destination, GitEnvironment,
            line => lines.Add(line), options.ProcessTimeout, cancellationToken).ConfigureAwait(false);
        return result.ExitCode == 0 && lines.Count > 0
            ? lines[0].Trim()
            : throw new BuildException(BuildReasons.FetchSourceFailed, $"git rev-parse failed: {result.Tail}");
    }

    // No prompt for a password or a host key: a build has no terminal, so it must fail instead of hanging.
    private static readonly Dictionary<string, string> GitEnvironment = new()
    {
        ["GIT_TERMINAL_PROMPT"] = "0",
        ["GIT_ASKPASS"] = "/bin/false",
        ["SSH_ASKPASS"] = "/bin/false",
        ["GIT_SSH_COMMAND"] = "ssh -o BatchMode=yes",
        ["GIT_CONFIG_NOSYSTEM"] = "1",
        ["LC_ALL"] = "C",
    };

    private static string WithoutCredentials(string text) => CredentialsPattern().Replace(text, "$1://");

    private static void Log(TextWriter log, string line)
    {
        lock (log)
        {
            log.WriteLine(line);
        }
    }

    [GeneratedRegex(@"([a-zA-Z][a-zA-Z0-9+.-]*)://[^/@\s]+@")]
    private static partial Regex CredentialsPattern();

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._/+-]*$")]
    private static partial Regex RefPattern();

    [GeneratedRegex("^[0-9a-fA-F]{7,64}$")]
    private static partial Regex CommitPattern();
}

/// <summary>Unpacks a tar archive (plain or gzip) refusing absolute paths, <c>..</c>, and links that point outside the destination.</summary>
internal static class ArchiveExtractor
{
    public static void Extract(Stream archive, string root, CancellationToken cancellationToken)
    {
        var (stream, gzip) = Detect(archive);
        using var input = gzip ? new GZipStream(stream, CompressionMode.Decompress, leaveOpen: true) : stream;
        try
        {
            using var tar = new TarReader(input, leaveOpen: true);
            while (tar.GetNextEntry() is { } entry)
            {
                cancellationToken.ThrowIfCancellationRequested();
                ExtractEntry(entry, root);
            }
        }
        catch (Exception ex) when (ex is InvalidDataException or FormatException or EndOfStreamException)
        {
            throw new BuildException(BuildReasons.FetchSourceFailed, $"the archive cannot be read: {ex.Message}", ex);
        }
    }

    private static void ExtractEntry(TarEntry entry, string root)
    {
        var name = entry.Name.Replace('\\', '/');
        if (name.StartsWith('/'))
        {
            throw Refused(entry, "has an absolute path");
        }
        var target = Inside(root, name) ?? throw Refused(entry, "escapes the destination");
        if (target == root)
        {
            return;
        }
        CheckNoSymlinkOnTheWay(root, target, entry);
        switch (entry.EntryType)
        {
            case TarEntryType.Directory:
                Directory.CreateDirectory(target);
                break;
            case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                using (var file = new FileStream(target, FileMode.Create, FileAccess.Write))
                {
                    entry.DataStream?.CopyTo(file);
                }
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(target, entry.Mode & (UnixFileMode)0b111_111_111);
                }
                break;
            case TarEntryType.SymbolicLink:
                var link = entry.LinkName.Replace('\\', '/');
                if (link.StartsWith('/') || Inside(root, Path.GetRelativePath(root, Path.Combine(Path.GetDirectoryName(target)!, link)).Replace('\\', '/')) is null)
                {
                    throw Refused(entry, $"is a symbolic link to {link}, outside the destination");
                }
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.CreateSymbolicLink(target, link);
                break;
            case TarEntryType.HardLink:
                var linked = Inside(root, entry.LinkName.Replace('\\', '/').TrimStart('/'));
                if (entry.LinkName.StartsWith('/') || linked is null || !File.Exists(linked))
                {
                    throw Refused(entry, $"is a hard link to {entry.LinkName}, not a file extracted before it inside the destination");
                }
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(linked, target, overwrite: true);
                break;
            default:
                // Devices and FIFOs are not sources.
                break;
        }
    }

    // A path inside root for a relative name; null when ".." climbs out.
    private static string? Inside(string root, string relative)
    {
        var full = Path.GetFullPath(Path.Combine(root, relative));
        return full == root || full.StartsWith(root.TrimEnd('/') + "/", StringComparison.Ordinal) ? full : null;
    }

    // An entry must not be written through a symbolic link an earlier entry made.
    private static void CheckNoSymlinkOnTheWay(string root, string target, TarEntry entry)
    {
        var current = root;
        foreach (var part in Path.GetRelativePath(root, target).Split('/').SkipLast(1))
        {
            current = Path.Combine(current, part);
            if (new FileInfo(current).LinkTarget is not null)
            {
                throw Refused(entry, "is written through a symbolic link");
            }
        }
    }

    private static BuildException Refused(TarEntry entry, string why) =>
        new(BuildReasons.FetchSourceFailed, $"the archive entry \"{entry.Name}\" {why}; it is refused");

    private static (Stream Stream, bool Gzip) Detect(Stream archive)
    {
        var head = new byte[2];
        var read = archive.ReadAtLeast(head, 2, throwOnEndOfStream: false);
        var prefixed = new PrefixedStream(head.AsMemory(0, read), archive);
        return (prefixed, read == 2 && head[0] == 0x1f && head[1] == 0x8b);
    }

    /// <summary>Bytes already read from a stream, then the rest of it.</summary>
    private sealed class PrefixedStream(ReadOnlyMemory<byte> prefix, Stream rest) : Stream
    {
        private ReadOnlyMemory<byte> pending = prefix;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (pending.IsEmpty)
            {
                return rest.Read(buffer);
            }
            var count = Math.Min(buffer.Length, pending.Length);
            pending.Span[..count].CopyTo(buffer);
            pending = pending[count..];
            return count;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
