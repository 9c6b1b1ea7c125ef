using System.Text.Json;

namespace ImageStreams.Cli.Config;

/// <summary>
/// The client's saved settings: which server, which token, which namespace. <c>isctl login</c> and
/// <c>isctl new-project</c> write it; every command reads it.
/// </summary>
internal sealed record CliConfig
{
    public const string PathVariable = "ISCTL_CONFIG";

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    public string? Server { get; init; }
    public string? Token { get; init; }
    public string? Namespace { get; init; }

    /// <summary>A PEM file of the authorities that sign the server's certificate (<c>isctl login --certificate-authority</c>).</summary>
    public string? CertificateAuthority { get; init; }

    /// <summary>$ISCTL_CONFIG, else ~/.config/isctl/config.json.</summary>
    public static string PathFrom(Func<string, string?> env)
    {
        if (env(PathVariable) is { } path)
        {
            return path;
        }
        var home = env("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return Path.Combine(home, ".config", "isctl", "config.json");
    }

    /// <summary>Reads the file; a missing file is an empty config.</summary>
    public static CliConfig Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return new CliConfig();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"cannot read the config file {path}: {e.Message}", e);
        }
        try
        {
            return JsonSerializer.Deserialize<CliConfig>(text, JsonOptions) ?? new CliConfig();
        }
        catch (JsonException e)
        {
            throw new CliException($"the config file {path} is not valid JSON: {e.Message}", e);
        }
    }

    public void Save(string path)
    {
        try
        {
            var directory = Path.GetDirectoryName(Path.GetFullPath(path));
            if (directory is not null)
            {
                Directory.CreateDirectory(directory);
            }
            File.WriteAllText(path, JsonSerializer.Serialize(this, JsonOptions) + "\n");
            // The file can hold a token: readable by its owner only.
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"cannot write the config file {path}: {e.Message}", e);
        }
    }
}
