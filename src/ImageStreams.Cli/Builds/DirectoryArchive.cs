using System.Formats.Tar;
using System.IO.Compression;

namespace ImageStreams.Cli.Builds;

/// <summary>A directory as a gzip-compressed tar archive, the input of a binary build (<c>start-build --from-dir</c>).</summary>
internal static class DirectoryArchive
{
    /// <summary>Writes the archive to a temporary file that is deleted when the returned stream is closed.</summary>
    public static async Task<Stream> CreateAsync(string directory, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(directory))
        {
            throw new CliException($"--from-dir: no directory \"{directory}\"");
        }
        var path = Path.GetTempFileName();
        var file = new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose);
        try
        {
            await using (var gzip = new GZipStream(file, CompressionLevel.Fastest, leaveOpen: true))
            {
                await TarFile.CreateFromDirectoryAsync(directory, gzip, includeBaseDirectory: false, cancellationToken);
            }
            file.Position = 0;
            return file;
        }
        catch
        {
            await file.DisposeAsync();
            throw;
        }
    }
}
