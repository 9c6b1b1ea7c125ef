using System.Diagnostics;
using System.Text;

namespace ImageStreams.Builder.Processes;

/// <summary>How a child process ended: its exit code and its last lines of output (for error messages).</summary>
internal sealed record ChildProcessResult(int ExitCode, IReadOnlyList<string> LastLines)
{
    public string Tail => string.Join(" | ", LastLines.TakeLast(5));
}

/// <summary>
/// Runs the command-line tools the builders use (buildah, git): arguments passed as a list (no shell), stdin closed,
/// every output line sent to the log as it comes, the whole process tree killed on cancellation or timeout.
/// </summary>
internal static class ChildProcess
{
    private const int KeptLines = 20;

    /// <exception cref="FileNotFoundException">The command is not installed.</exception>
    /// <exception cref="TimeoutException">It ran longer than <paramref name="timeout"/>.</exception>
    public static async Task<ChildProcessResult> RunAsync(
        string command, IEnumerable<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string> environment,
        Action<string> onLine, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var path = Resolve(command) ?? throw new FileNotFoundException($"{command} is not installed", command);
        var info = new ProcessStartInfo(path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }
        var last = new Queue<string>();
        void Line(string? line)
        {
            if (line is null)
            {
                return;
            }
            lock (last)
            {
                last.Enqueue(line);
                if (last.Count > KeptLines)
                {
                    last.Dequeue();
                }
                onLine(line);
            }
        }
        using var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Line(e.Data);
        process.ErrorDataReceived += (_, e) => Line(e.Data);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            throw new TimeoutException($"{command} did not finish within {timeout}");
        }
        // The parameterless wait drains the output readers.
        process.WaitForExit();
        lock (last)
        {
            return new ChildProcessResult(process.ExitCode, last.ToList());
        }
    }

    /// <summary>The full path of a command (as given when it has a '/', else found on PATH); null when there is none.</summary>
    public static string? Resolve(string command)
    {
        if (command.Contains('/', StringComparison.Ordinal))
        {
            return File.Exists(command) ? command : null;
        }
        return (Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, command))
            .FirstOrDefault(File.Exists);
    }
}
