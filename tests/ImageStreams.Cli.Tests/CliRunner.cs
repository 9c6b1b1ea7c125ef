namespace ImageStreams.Cli.Tests;

/// <summary>What one isctl run printed and returned.</summary>
public sealed record CliResult(int ExitCode, string Out, string Error)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Out}--- stderr\n{Error}";
}

/// <summary>
/// Runs isctl in-process with its own environment: a server address and a private config file, so tests never
/// read the user's ~/.config/isctl.
/// </summary>
public sealed class CliRunner : IDisposable
{
    private readonly string directory = System.IO.Directory.CreateTempSubdirectory("isctl-cli-").FullName;

    /// <param name="token">Sent as <c>$ISCTL_TOKEN</c>; null runs without credentials.</param>
    public CliRunner(string server, string? token = null)
    {
        Environment = new Dictionary<string, string?>
        {
            ["ISCTL_SERVER"] = server,
            ["ISCTL_CONFIG"] = ConfigPath,
            ["HOME"] = directory,
            ["ISCTL_TOKEN"] = token,
        };
    }

    public Dictionary<string, string?> Environment { get; }

    public string ConfigPath => Path.Combine(directory, "config.json");

    public string Directory => directory;

    public async Task<CliResult> RunAsync(params string[] args) => await RunWithInputAsync("", args);

    public async Task<CliResult> RunWithInputAsync(string stdin, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await Cli.RunAsync(args, output, error, Environment, new StringReader(stdin));
        return new CliResult(code, output.ToString(), error.ToString());
    }

    /// <summary>Starts a long-running command (get -w); its output can be read while it runs, and stopping it is like Ctrl-C.</summary>
    public RunningCli Start(params string[] args) => new(this, args);

    public sealed class RunningCli : IAsyncDisposable
    {
        private readonly StringWriter output = new();
        private readonly StringWriter error = new();
        // Synchronized writers lock on themselves, so reading under the same lock sees whole writes.
        private readonly TextWriter sharedOutput;
        private readonly TextWriter sharedError;
        private readonly CancellationTokenSource stop = new();
        private readonly Task<int> run;

        internal RunningCli(CliRunner runner, string[] args)
        {
            sharedOutput = TextWriter.Synchronized(output);
            sharedError = TextWriter.Synchronized(error);
            run = Task.Run(() => Cli.RunAsync(args, sharedOutput, sharedError, runner.Environment, TextReader.Null, stop.Token));
        }

        /// <summary>Waits until stdout contains the text; fails with everything printed so far if it never does.</summary>
        public async Task WaitForOutputAsync(string text, TimeSpan? timeout = null)
        {
            var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
            while (!Snapshot().Out.Contains(text, StringComparison.Ordinal))
            {
                if (DateTime.UtcNow > deadline || run.IsCompleted)
                {
                    Assert.Fail($"never printed \"{text}\":\n{Snapshot()}");
                }
                await Task.Delay(50);
            }
        }

        public CliResult Snapshot()
        {
            lock (sharedOutput)
            {
                lock (sharedError)
                {
                    return new CliResult(run.IsCompleted ? run.Result : -1, output.ToString(), error.ToString());
                }
            }
        }

        public async Task<CliResult> StopAsync()
        {
            await stop.CancelAsync();
            var code = await run.WaitAsync(TimeSpan.FromSeconds(10));
            return new CliResult(code, output.ToString(), error.ToString());
        }

        public async ValueTask DisposeAsync()
        {
            if (!run.IsCompleted)
            {
                await StopAsync();
            }
            stop.Dispose();
            output.Dispose();
            error.Dispose();
        }
    }

    /// <summary>Writes a file in this runner's directory and returns its path.</summary>
    public string WriteFile(string name, string text)
    {
        var path = Path.Combine(directory, name);
        File.WriteAllText(path, text);
        return path;
    }

    public void Dispose() => System.IO.Directory.Delete(directory, recursive: true);
}
