using System.Diagnostics;
using System.Text;
using ImageStreams.Testing.Processes;

namespace ImageStreams.Server.Tests.Support;

/// <summary>
/// The real kubectl against a test server: no kubeconfig, <c>--server</c> and <c>--token</c> (the admin's unless another is
/// given), and a HOME of its own so its discovery cache never leaks between tests.
/// </summary>
public sealed class Kubectl(TestServer server, string? token = null) : IDisposable
{
    private readonly TempDirectory _home = new("imagestreams-kubectl");

    public string Home => _home.Path;

    public async Task<ProcessResult> RunAsync(params string[] arguments)
    {
        using var process = new Process { StartInfo = StartInfo(arguments) };
        process.Start();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"kubectl {string.Join(' ', arguments)} did not finish");
        }
        return new ProcessResult("kubectl " + string.Join(' ', arguments), process.ExitCode, await output, await error);
    }

    /// <summary>Starts a long-running kubectl (a watch); each output line goes to <paramref name="onLine"/>.</summary>
    public Process Start(Action<string> onLine, params string[] arguments)
    {
        var process = new Process { StartInfo = StartInfo(arguments), EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { onLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { onLine("stderr: " + e.Data); } };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    public void Dispose() => _home.Dispose();

    private ProcessStartInfo StartInfo(string[] arguments)
    {
        var info = new ProcessStartInfo("kubectl")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            WorkingDirectory = _home.Path,
        };
        info.Environment["HOME"] = _home.Path;
        info.Environment.Remove("KUBECONFIG");
        var connection = new List<string> { "--server", server.Server.BaseAddress.ToString().TrimEnd('/'), "--kubeconfig", "/dev/null", "--token", token ?? server.Server.AdminToken };
        if (server.AuthorityPath is { } authority)
        {
            connection.AddRange(["--certificate-authority", authority]);
        }
        foreach (var argument in connection.Concat(arguments))
        {
            info.ArgumentList.Add(argument);
        }
        return info;
    }
}
