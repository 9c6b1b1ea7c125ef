using System.Diagnostics;
using System.Globalization;
using ImageStreams.Builder;
using ImageStreams.Registry.References;
using Microsoft.Extensions.DependencyInjection;

// Usage: BuildBench CONTEXT_DIR BASE_REFERENCE OUTPUT_REFERENCE
// Builds CONTEXT_DIR/Dockerfile on BASE (resolved to its digest first, as the build controller does) and pushes it to
// OUTPUT. Prints one line: "<seconds> <bytes uploaded> <builder> <digest>"; the time covers base resolution, the build
// and the push. A server builds in a warm process, so the same build first runs once untimed to OUTPUT's repository
// with "-warmup" appended (JIT, connections), and process start is not counted.
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
    async Task<BuildResult> BuildAsync(ImageReference to)
    {
        var baseDigest = (await client.Manifests.HeadAsync(baseReference, ImageStreams.Registry.Client.RegistryAccess.Anonymous)).Digest;
        return await builder.BuildAsync(new BuildRequest { ContextDirectory = args[0], Base = baseReference.WithDigest(baseDigest), Output = to }, TextWriter.Null);
    }
    await BuildAsync(ImageReference.Parse($"{output.Registry}/{output.Repository}-warmup:latest"));
    var watch = Stopwatch.StartNew();
    var result = await BuildAsync(output);
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
