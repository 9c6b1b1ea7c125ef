namespace ImageStreams.Controllers.Builds;

/// <summary>
/// The files of each build under one root: <c>NS/NAME/build.log</c> (what the build printed),
/// <c>NS/NAME/input</c> (a binary upload) and <c>NS/NAME/work</c> (sources, removed when the build ends).
/// </summary>
public sealed class BuildFiles(string root)
{
    public string Root { get; } = Path.GetFullPath(root);

    public string DirectoryOf(string ns, string name) => Path.Combine(Root, ns, name);

    public string LogPath(string ns, string name) => Path.Combine(DirectoryOf(ns, name), "build.log");

    public string InputPath(string ns, string name) => Path.Combine(DirectoryOf(ns, name), "input");

    public string WorkDirectory(string ns, string name) => Path.Combine(DirectoryOf(ns, name), "work");

    /// <summary>Removes everything a build left; a build that never wrote a file is fine.</summary>
    public void Delete(string ns, string name)
    {
        var directory = DirectoryOf(ns, name);
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
