namespace ImageStreams.Testing.Processes;

/// <summary>htpasswd files written by the real <c>htpasswd -B</c> of apache2-utils (bcrypt).</summary>
public static class Htpasswd
{
    /// <summary>Writes <paramref name="path"/> with one bcrypt line per user; returns the path.</summary>
    public static async Task<string> WriteAsync(string path, params (string User, string Password)[] users)
    {
        var lines = new List<string>();
        foreach (var (user, password) in users)
        {
            var entry = await ProcessRunner.RunCheckedAsync("htpasswd", ["-Bbn", user, password]);
            lines.Add(entry.StandardOutput.Trim());
        }
        await File.WriteAllLinesAsync(path, lines);
        return path;
    }
}
