using System.Diagnostics;
using System.Globalization;
using ImageStreams.Builder;
using ImageStreams.Registry.References;
using Microsoft.Extensions.DependencyInjection;

// Usage: BuildBench CONTEXT_DIR BASE_REFERENCE OUTPUT_REFERENCE
// Builds CONTEXT_DIR/Dockerfile on BASE (resolved to its digest first, as the build controller does) and pushes it to
// OUTPUT. Prints one line: "<seconds> <bytes uploaded> <builder> <digest>"; the time covers base resolution, the build
// and the push. A server builds in a warm process, so the same build first runs once untimed to OUTPUT's repository
// with "-warmup" appended (JIT, connections), and process start is not counted. With BUILD_BENCH_LOG=1 the timed
// build's log goes to standard error, each line with the milliseconds since the build started.
if (args.Length != 3)
{
    Console.Error.WriteLine("usage: BuildBench CONTEXT_DIR BASE_REFERENCE OUTPUT_REFERENCE");
    return 2;
}
var work = Directory.CreateTempSubdirectory("build-bench-").FullName;
try
{
    using var provider = new ServiceCollection()
        .AddImageBuilders(new BuilderOptions { WorkDirectory = work })
        .BuildServiceProvider();
    var builder = provider.GetRequiredService<IImageBuilder>();
    var client = provider.GetRequiredService<ImageStreams.Registry.Client.IRegistryClient>();
    var baseReference = ImageReference.Parse(args[1]);
    var output = ImageReference.Parse(args[2]);
    var watch = new Stopwatch();
    async Task<BuildResult> BuildAsync(ImageReference to, TextWriter log)
    {
        var baseDigest = (await client.Manifests.HeadAsync(baseReference, ImageStreams.Registry.Client.RegistryAccess.Anonymous)).Digest;
        return await builder.BuildAsync(new BuildRequest { ContextDirectory = args[0], Base = baseReference.WithDigest(baseDigest), Output = to }, log);
    }
    await BuildAsync(ImageReference.Parse($"{output.Registry}/{output.Repository}-warmup:latest"), TextWriter.Null);
    var log = Environment.GetEnvironmentVariable("BUILD_BENCH_LOG") == "1" ? new TimedLog(watch) : TextWriter.Null;
    watch.Start();
    var result = await BuildAsync(output, log);
    watch.Stop();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{watch.Elapsed.TotalSeconds:F3} {result.BytesUploaded} {result.Builder} {result.ImageDigest}"));
    return 0;
}
catch (BuildException ex)
{
    Console.Error.WriteLine($"build failed ({ex.Reason}): {ex.Message}");
    return 1;
}
finally
{
    Directory.Delete(work, recursive: true);
}

/// <summary>Log lines to standard error with the milliseconds since the timed build started.</summary>
internal sealed class TimedLog(Stopwatch watch) : StringWriter(CultureInfo.InvariantCulture)
{
    public override void WriteLine(string? value) =>
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{watch.Elapsed.TotalMilliseconds,8:F1} ms  {value}"));
}
