using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Org.BouncyCastle.Crypto.Generators;

namespace ImageStreams.Server.Security;

/// <summary>
/// Users and passwords from an htpasswd file of bcrypt hashes (<c>htpasswd -B</c>), re-read when the file changes.
/// Lines with other hash kinds (MD5, SHA-1, crypt) are skipped with a warning: they are too weak to accept.
/// A password that matched is remembered (by its SHA-256) for a minute, so clients that send basic credentials with
/// every request do not pay for bcrypt each time.
/// </summary>
internal sealed partial class HtpasswdFile(string path, TimeProvider time, ILogger<HtpasswdFile> logger)
{
    private static readonly TimeSpan RememberFor = TimeSpan.FromMinutes(1);

    private readonly Lock gate = new();
    private readonly ConcurrentDictionary<string, DateTimeOffset> verified = new(StringComparer.Ordinal);
    private Dictionary<string, string> users = new(StringComparer.Ordinal);
    private DateTime loadedWrite = DateTime.MinValue;

    public string Path => path;

    /// <summary>True when the file names the user and the password matches its hash.</summary>
    public bool Verify(string user, string password)
    {
        var hash = Users().GetValueOrDefault(user);
        if (hash is null)
        {
            return false;
        }
        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{user}\n{password}\n{hash}")));
        var now = time.GetUtcNow();
        if (verified.TryGetValue(key, out var until) && until > now)
        {
            return true;
        }
        bool matches;
        try
        {
            matches = OpenBsdBCrypt.CheckPassword(hash, password.ToCharArray());
        }
        catch (ArgumentException)
        {
            return false;
        }
        if (matches)
        {
            verified[key] = now + RememberFor;
        }
        return matches;
    }

    private Dictionary<string, string> Users()
    {
        lock (gate)
        {
            DateTime written;
            try
            {
                written = File.GetLastWriteTimeUtc(path);
            }
            catch (IOException)
            {
                return users;
            }
            if (written != loadedWrite)
            {
                users = Load();
                loadedWrite = written;
                verified.Clear();
            }
            return users;
        }
    }

    /// <summary>Reads the file; throws <see cref="ArgumentException"/> when it cannot be read at all (checked at start-up).</summary>
    public void EnsureReadable()
    {
        try
        {
            using var _ = File.OpenRead(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"--htpasswd-file: cannot read \"{path}\": {e.Message}", e);
        }
        Users();
    }

    private Dictionary<string, string> Load()
    {
        var loaded = new Dictionary<string, string>(StringComparer.Ordinal);
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogUnreadable(logger, path, e.Message);
            return users;
        }
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var hash = colon > 0 ? line[(colon + 1)..] : "";
            if (hash.StartsWith("$2a$", StringComparison.Ordinal) || hash.StartsWith("$2b$", StringComparison.Ordinal) || hash.StartsWith("$2y$", StringComparison.Ordinal))
            {
                loaded[line[..colon]] = hash;
            }
            else
            {
                LogSkipped(logger, path, i + 1);
            }
        }
        return loaded;
    }

    [LoggerMessage(EventId = 60, Level = LogLevel.Warning, Message = "htpasswd file {Path} line {Line} skipped: only bcrypt hashes (htpasswd -B) are accepted")]
    private static partial void LogSkipped(ILogger logger, string path, int line);

    [LoggerMessage(EventId = 61, Level = LogLevel.Warning, Message = "htpasswd file {Path} cannot be read, keeping the users read before: {Reason}")]
    private static partial void LogUnreadable(ILogger logger, string path, string reason);
}
