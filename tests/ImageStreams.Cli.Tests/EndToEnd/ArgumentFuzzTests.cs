using ImageStreams.Testing.Fuzzing;

namespace ImageStreams.Cli.Tests.EndToEnd;

/// <summary>
/// Seeded random arguments near valid ones: every run of isctl ends with exit 0, or exit 1 and one error line on stderr;
/// never a stack trace. Sources name a closed loopback port, so imports fail at once without leaving the machine.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class ArgumentFuzzTests(ServerFixture server) : IDisposable
{
    private static readonly string[][] Commands =
    [
        ["tag", "--source", "docker", "127.0.0.1:1/team/app:v1", "app:latest"],
        ["tag", "--alias", "app:latest", "app:stable"],
        ["tag", "-d", "app:stable"],
        ["import-image", "app:v1", "--from", "127.0.0.1:1/team/app:v1", "--confirm", "--dry-run"],
        ["get", "istag", "app:latest", "-o", "yaml"],
        ["get", "isimage", "app@sha256:" + new string('a', 64)],
        ["describe", "is", "app"],
        ["get", "is", "-l", "a=b,c in (d,e)"],
        ["create", "secret", "generic", "s", "--from-literal=a=b"],
        ["delete", "is", "app"],
    ];

    private readonly CliRunner cli = new(server.Address, server.Token);

    public void Dispose() => cli.Dispose();

    [Fact]
    public async Task MutatedArguments_EndWithSuccessOrOneErrorLine()
    {
        var ns = ServerFixture.UniqueNamespace("argfuzz");
        Assert.Equal(0, (await cli.RunAsync("new-project", ns)).ExitCode);
        var fuzz = Mutator.Seeded(1337);
        await fuzz.RunAsync(400, TimeSpan.FromSeconds(4), async _ =>
        {
            var args = fuzz.Pick(Commands).ToArray();
            var at = fuzz.Random.Next(1, args.Length);
            args[at] = fuzz.Mutate(args[at]);

            var result = await cli.RunAsync([.. args, "-n", ns]);

            Assert.True(result.ExitCode is 0 or 1, result.ToString());
            Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
            if (result.ExitCode == 1)
            {
                Assert.False(string.IsNullOrWhiteSpace(result.Error), result.ToString());
            }
        });
    }
}
