using System.Diagnostics;
using System.Text;

namespace ImageStreams.Testing.Processes;

/// <summary>The outcome of a finished process.</summary>
public sealed record ProcessResult(string Command, int ExitCode, string StandardOutput, string StandardError)
{
    /// <exception cref="InvalidOperationException">The process exited with a non-zero code.</exception>
    public ProcessResult EnsureSuccess() =>
        ExitCode == 0
            ? this
            : throw new InvalidOperationException($"`{Command}` exited with {ExitCode}: {StandardError.Trim()} {StandardOutput.Trim()}");
}

/// <summary>Runs the command-line peers (skopeo, umoci, htpasswd, docker-registry) the tests use.</summary>
public static class ProcessRunner
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(2);

    /// <summary>Runs to the end and returns what it printed; the process is killed when the timeout or token fires.</summary>
    public static async Task<ProcessResult> RunAsync(
        string fileName,
        IEnumerable<string> arguments,
        string? workingDirectory = null,
        TimeSpan? timeout = null,
        CancellationToken cancellationToken = default)
    {
        using var process = new Process { StartInfo = StartInfo(fileName, arguments, workingDirectory) };
        var output = new StringBuilder();
        var error = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (output) { output.AppendLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (error) { error.AppendLine(e.Data); } } };
        var command = Describe(process.StartInfo);
        if (!process.Start())
        {
            throw new InvalidOperationException($"`{command}` did not start");
        }
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout ?? DefaultTimeout);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"`{command}` did not finish within {timeout ?? DefaultTimeout}");
        }
        // The parameterless wait drains the asynchronous output readers.
        process.WaitForExit();
        return new ProcessResult(command, process.ExitCode, output.ToString(), error.ToString());
    }

    /// <summary>Runs and throws when the exit code is not zero.</summary>
    public static async Task<ProcessResult> RunCheckedAsync(
        string fileName, IEnumerable<string> arguments, string? workingDirectory = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        (await RunAsync(fileName, arguments, workingDirectory, timeout, cancellationToken)).EnsureSuccess();

    /// <summary>Runs to the end and returns standard output byte for byte (for content that is hashed).</summary>
    public static async Task<byte[]> RunForBytesAsync(string fileName, IEnumerable<string> arguments, CancellationToken cancellationToken = default)
    {
        using var process = new Process { StartInfo = StartInfo(fileName, arguments, null) };
        var command = Describe(process.StartInfo);
        if (!process.Start())
        {
            throw new InvalidOperationException($"`{command}` did not start");
        }
        using var output = new MemoryStream();
        var errorTask = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.StandardOutput.BaseStream.CopyToAsync(output, cancellationToken);
        var error = await errorTask;
        await process.WaitForExitAsync(cancellationToken);
        return process.ExitCode == 0
            ? output.ToArray()
            : throw new InvalidOperationException($"`{command}` exited with {process.ExitCode}: {error.Trim()}");
    }

    /// <summary>Starts a long-running process; its output lines go to <paramref name="onLine"/>.</summary>
    public static Process Start(string fileName, IEnumerable<string> arguments, string? workingDirectory, Action<string> onLine)
    {
        var process = new Process { StartInfo = StartInfo(fileName, arguments, workingDirectory), EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { onLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { onLine(e.Data); } };
        if (!process.Start())
        {
            throw new InvalidOperationException($"`{Describe(process.StartInfo)}` did not start");
        }
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Kills the process and its children (if still running) and waits for it.</summary>
    public static void Stop(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
            process.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
            // Never started or already reaped.
        }
    }

    /// <summary>Whether a command is on PATH.</summary>
    public static bool IsInstalled(string command) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(dir => File.Exists(Path.Combine(dir, command)));

    private static ProcessStartInfo StartInfo(string fileName, IEnumerable<string> arguments, string? workingDirectory)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        return info;
    }

    private static string Describe(ProcessStartInfo info) =>
        string.Join(' ', new[] { info.FileName }.Concat(info.ArgumentList));
}
