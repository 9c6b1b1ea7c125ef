using System.Formats.Tar;
using System.IO.Compression;
using ImageStreams.Builder.Layers;

namespace ImageStreams.Builder.Context;

/// <summary>Ownership and mode a COPY or ADD gives its files (<c>--chown</c>, <c>--chmod</c>); null keeps the default.</summary>
internal sealed record CopyOptions(int Uid = 0, int Gid = 0, UnixFileMode? FileMode = null, bool ExtractArchives = false);

/// <summary>
/// The files a build may read: the context directory minus what .dockerignore excludes. Resolves the sources of a
/// COPY or ADD (plain paths, globs, directories) into layer entries, refusing paths outside the context.
/// </summary>
internal sealed class BuildContext
{
    private const UnixFileMode DirectoryMode = (UnixFileMode)0b111_101_101;
    private readonly string root;
    private readonly DockerIgnore ignore;
    private List<string>? allPaths;

    public BuildContext(string root, DockerIgnore ignore)
    {
        this.root = Path.GetFullPath(root);
        this.ignore = ignore;
    }

    /// <summary>The entries one COPY or ADD writes: the sources copied to <paramref name="destination"/>, plus the destination's parent directories.</summary>
    /// <exception cref="BuildException">A source is missing, excluded, outside the context, or the destination is not a directory where it must be.</exception>
    public IReadOnlyList<LayerEntry> Resolve(IReadOnlyList<string> sources, string destination, string workingDirectory, CopyOptions options, string instruction)
    {
        var entries = new SortedDictionary<string, LayerEntry>(StringComparer.Ordinal);
        var matches = new List<string>();
        foreach (var source in sources)
        {
            if (source.Contains("://", StringComparison.Ordinal))
            {
                throw new BuildException(BuildReasons.NativeBuildUnsupported, $"{instruction}: remote sources ({source}) are not supported by the native builder");
            }
            var found = Match(source, instruction);
            if (found.Count == 0)
            {
                throw new BuildException(BuildReasons.DockerBuildFailed,
                    $"{instruction}: no source files were found for \"{source}\" in the build context (or .dockerignore excludes them)");
            }
            matches.AddRange(found);
        }
        var destinationIsDirectory = destination.EndsWith('/') || destination is "." or "..";
        var target = ContextPaths.InImage(destination, workingDirectory);
        if (matches.Count > 1 && !destinationIsDirectory)
        {
            throw new BuildException(BuildReasons.DockerBuildFailed,
                $"{instruction}: when copying several sources the destination must be a directory and end with a /, not \"{destination}\"");
        }
        if (destinationIsDirectory)
        {
            AddDirectory(entries, target, options);
        }
        foreach (var match in matches)
        {
            var full = Full(match);
            if (Directory.Exists(full) && !IsSymlink(full))
            {
                AddDirectory(entries, target, options);
                AddTree(entries, match, target, options);
            }
            else if (options.ExtractArchives && TryOpenArchive(full) is { } archive)
            {
                using (archive)
                {
                    AddDirectory(entries, target, options);
                    AddArchive(entries, archive, target, options, instruction, match);
                }
            }
            else
            {
                var name = destinationIsDirectory || target.Length == 0 ? Join(target, Path.GetFileName(match)) : target;
                entries[name] = FileEntry(full, name, options);
            }
        }
        AddParents(entries, target);
        return entries.Values.ToList();
    }

    private List<string> Match(string source, string instruction)
    {
        string cleaned;
        try
        {
            cleaned = ContextPaths.Clean(source);
        }
        catch (FormatException)
        {
            throw new BuildException(BuildReasons.DockerBuildFailed, $"{instruction}: \"{source}\" is outside the build context");
        }
        if (!PathPattern.HasWildcards(cleaned))
        {
            if (cleaned.Length == 0)
            {
                return [""];
            }
            var full = Full(cleaned);
            var exists = File.Exists(full) || Directory.Exists(full) || IsSymlink(full);
            return exists && !ignore.IsExcluded(cleaned) ? [cleaned] : [];
        }
        PathPattern pattern;
        try
        {
            pattern = new PathPattern(cleaned);
        }
        catch (FormatException ex)
        {
            throw new BuildException(BuildReasons.DockerBuildFailed, $"{instruction}: {ex.Message}", ex);
        }
        return AllPaths().Where(pattern.IsMatch).ToList();
    }

    // Every path of the context not excluded, relative and '/'-separated.
    private List<string> AllPaths()
    {
        if (allPaths is null)
        {
            allPaths = [];
            Walk("", allPaths);
            allPaths.Sort(StringComparer.Ordinal);
        }
        return allPaths;
    }

    private void Walk(string relative, List<string> into)
    {
        foreach (var entry in new DirectoryInfo(Full(relative)).EnumerateFileSystemInfos())
        {
            var path = Join(relative, entry.Name);
            if (ignore.IsExcluded(path))
            {
                continue;
            }
            into.Add(path);
            if (entry is DirectoryInfo && entry.LinkTarget is null)
            {
                Walk(path, into);
            }
        }
    }

    private void AddTree(SortedDictionary<string, LayerEntry> entries, string relative, string target, CopyOptions options)
    {
        foreach (var info in new DirectoryInfo(Full(relative)).EnumerateFileSystemInfos())
        {
            var path = Join(relative, info.Name);
            if (ignore.IsExcluded(path))
            {
                continue;
            }
            var name = Join(target, info.Name);
            if (info.LinkTarget is { } link)
            {
                entries[name] = new LayerEntry { Path = name, Type = TarEntryType.SymbolicLink, Mode = (UnixFileMode)0b111_111_111, Uid = options.Uid, Gid = options.Gid, LinkTarget = link };
            }
            else if (info is DirectoryInfo)
            {
                entries[name] = new LayerEntry { Path = name, Type = TarEntryType.Directory, Mode = options.FileMode ?? info.UnixFileMode, Uid = options.Uid, Gid = options.Gid };
                AddTree(entries, path, name, options);
            }
            else
            {
                entries[name] = FileEntry(info.FullName, name, options);
            }
        }
    }

    private static LayerEntry FileEntry(string full, string name, CopyOptions options)
    {
        var info = new FileInfo(full);
        if (info.LinkTarget is { } link && !info.Exists)
        {
            return new LayerEntry { Path = name, Type = TarEntryType.SymbolicLink, Mode = (UnixFileMode)0b111_111_111, Uid = options.Uid, Gid = options.Gid, LinkTarget = link };
        }
        return new LayerEntry
        {
            Path = name,
            Type = TarEntryType.RegularFile,
            Mode = options.FileMode ?? info.UnixFileMode,
            Uid = options.Uid,
            Gid = options.Gid,
            SourceFile = full,
        };
    }

    private static void AddDirectory(SortedDictionary<string, LayerEntry> entries, string target, CopyOptions options)
    {
        if (target.Length > 0)
        {
            entries[target] = new LayerEntry { Path = target, Type = TarEntryType.Directory, Mode = DirectoryMode, Uid = options.Uid, Gid = options.Gid };
        }
    }

    // The directories above the destination exist in the image already or are created with root's ownership.
    private static void AddParents(SortedDictionary<string, LayerEntry> entries, string target)
    {
        for (var slash = target.LastIndexOf('/'); slash > 0; slash = target.LastIndexOf('/', slash - 1))
        {
            var parent = target[..slash];
            entries.TryAdd(parent, new LayerEntry { Path = parent, Type = TarEntryType.Directory, Mode = DirectoryMode });
        }
    }

    // A local tar archive (plain or gzip) that ADD unpacks; null for any other file.
    private static TarReader? TryOpenArchive(string full)
    {
        var header = new byte[512];
        int read;
        using (var probe = File.OpenRead(full))
        {
            read = probe.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        }
        Stream stream = File.OpenRead(full);
        if (read >= 2 && header[0] == 0x1f && header[1] == 0x8b)
        {
            stream = new GZipStream(stream, CompressionMode.Decompress);
        }
        else if (!(read >= 262 && header.AsSpan(257, 5).SequenceEqual("ustar"u8)))
        {
            stream.Dispose();
            return null;
        }
        return new TarReader(stream, leaveOpen: false);
    }

    private static void AddArchive(SortedDictionary<string, LayerEntry> entries, TarReader archive, string target, CopyOptions options, string instruction, string source)
    {
        try
        {
            while (archive.GetNextEntry() is { } entry)
            {
                string name;
                try
                {
                    name = ContextPaths.Clean(entry.Name);
                }
                catch (FormatException)
                {
                    throw new BuildException(BuildReasons.DockerBuildFailed, $"{instruction}: the archive {source} has an entry outside its root: {entry.Name}");
                }
                if (name.Length == 0)
                {
                    continue;
                }
                var path = Join(target, name);
                var uid = options.Uid != 0 || options.Gid != 0 ? options.Uid : entry.Uid;
                var gid = options.Uid != 0 || options.Gid != 0 ? options.Gid : entry.Gid;
                switch (entry.EntryType)
                {
                    case TarEntryType.Directory:
                        entries[path] = new LayerEntry { Path = path, Type = TarEntryType.Directory, Mode = entry.Mode, Uid = uid, Gid = gid };
                        break;
                    case TarEntryType.SymbolicLink:
                        entries[path] = new LayerEntry { Path = path, Type = TarEntryType.SymbolicLink, Mode = entry.Mode, Uid = uid, Gid = gid, LinkTarget = entry.LinkName };
                        break;
                    case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                        using (var content = new MemoryStream())
                        {
                            entry.DataStream?.CopyTo(content);
                            entries[path] = new LayerEntry { Path = path, Type = TarEntryType.RegularFile, Mode = options.FileMode ?? entry.Mode, Uid = uid, Gid = gid, Content = content.ToArray() };
                        }
                        break;
                    default:
                        // Hard links, devices and FIFOs of an archive are left out.
                        break;
                }
            }
        }
        catch (Exception ex) when (ex is InvalidDataException or FormatException or EndOfStreamException)
        {
            throw new BuildException(BuildReasons.DockerBuildFailed, $"{instruction}: the archive {source} cannot be read: {ex.Message}", ex);
        }
    }

    private string Full(string relative) => relative.Length == 0 ? root : Path.Combine(root, relative);

    private static bool IsSymlink(string full) => new FileInfo(full).LinkTarget is not null;

    private static string Join(string directory, string name) => directory.Length == 0 ? name : directory + "/" + name;
}
