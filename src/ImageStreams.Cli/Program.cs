using System.Runtime.InteropServices;
using ImageStreams.Cli;

using var stop = new CancellationTokenSource();
// The first Ctrl-C or SIGTERM asks the running command to stop cleanly; a second one ends the process.
void OnSignal(PosixSignalContext context)
{
    if (!stop.IsCancellationRequested)
    {
        context.Cancel = true;
        stop.Cancel();
    }
}
using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);

return await Cli.RunAsync(args, Console.Out, Console.Error, env: null, stdin: Console.In, cancellationToken: stop.Token);
