namespace ImageStreams.Server.Security;

/// <summary>
/// The admin's token (user <c>system:admin</c>, group <c>system:masters</c>), made on first start and kept in
/// <c>&lt;data-dir&gt;/admin.token</c>, readable by its owner only. A token that no longer works (revoked, or a new store)
/// is replaced by a new one.
/// </summary>
internal static class AdminCredential
{
    public const string FileName = "admin.token";

    public static async Task<string> EnsureAsync(string dataDir, AccessTokens tokens, CancellationToken cancellationToken)
    {
        var path = Path.Combine(dataDir, FileName);
        if (File.Exists(path))
        {
            var existing = (await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false)).Trim();
            if (await tokens.FindAsync(existing, cancellationToken).ConfigureAwait(false) is { UserName: UserInfo.AdminName })
            {
                return existing;
            }
        }
        var (token, _) = await tokens.IssueAsync(UserInfo.AdminName, null, "bootstrap", cancellationToken).ConfigureAwait(false);
        var temporary = path + ".tmp";
        await File.WriteAllTextAsync(temporary, token + "\n", cancellationToken).ConfigureAwait(false);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        File.Move(temporary, path, overwrite: true);
        return token;
    }
}
