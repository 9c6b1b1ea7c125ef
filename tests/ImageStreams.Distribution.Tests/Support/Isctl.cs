using ImageStreams.Cli;

namespace ImageStreams.Distribution.Tests.Support;

/// <summary>Runs isctl in-process against a server, with a private config so the user's is never read.</summary>
public static class Isctl
{
    public static async Task<string> RunAsync(RegistryServer server, params string[] args)
    {
        var home = Directory.CreateTempSubdirectory("isctl-registry-").FullName;
        try
        {
            using var output = new StringWriter();
            using var error = new StringWriter();
            var environment = new Dictionary<string, string?>
            {
                ["ISCTL_SERVER"] = server.Server.BaseAddress.ToString().TrimEnd('/'),
                ["ISCTL_CONFIG"] = Path.Combine(home, "config.json"),
                ["HOME"] = home,
                ["ISCTL_TOKEN"] = server.Server.AdminToken,
            };
            var code = await Cli.Cli.RunAsync(args, output, error, environment);
            Assert.True(code == 0, $"isctl {string.Join(' ', args)} exited {code}: {error}{output}");
            return output.ToString();
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }
}
