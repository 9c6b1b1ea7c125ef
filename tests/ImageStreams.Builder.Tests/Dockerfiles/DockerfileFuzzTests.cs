using System.Diagnostics;
using System.Text;
using ImageStreams.Builder.Dockerfiles;

namespace ImageStreams.Builder.Tests.Dockerfiles;

/// <summary>Random and mutated Dockerfiles (fixed seed): the parser either succeeds or fails with a line-numbered parse error.</summary>
public class DockerfileFuzzTests
{
    private static readonly string[] Seeds =
    [
        "# escape=`\nFROM busybox AS base\nARG V=1\nENV A=${V:-2} B=\"x y\"\nCOPY --chown=1:2 --chmod=755 a* /app/\nRUN echo `\n  hi\nCMD [\"run\"]\n",
        "ARG BASE\nFROM ${BASE}\nLABEL a=1 \\\n b=2\nEXPOSE 80/tcp 443\nVOLUME [\"/data\"]\nHEALTHCHECK --interval=5s CMD true\nONBUILD COPY . /src\nSHELL [\"/bin/sh\",\"-c\"]\n",
        "FROM scratch\nADD --chown=0 x.tar /\nWORKDIR /w\nUSER 1000:1000\nSTOPSIGNAL SIGTERM\nENTRYPOINT [\"/bin/sh\"]\nMAINTAINER me\n",
    ];

    private static readonly string[] Fragments =
    [
        "FROM", "RUN", "COPY", "ADD", "ENV", "ARG", "LABEL", "ONBUILD", "HEALTHCHECK", "SHELL", "--from=", "--chown", "--", "${", "}", "$",
        ":-", ":+", "\"", "'", "\\", "`", "\n", "\r\n", "[", "]", "[\"a\",", "=", " AS ", "<<EOF", "#", "# escape=", "\t", "\0", "é", "${A:-${B", " ",
    ];

    [Fact]
    public void Parse_RandomAndMutatedInput_FailsOnlyWithParseErrorsThatNameALine()
    {
        var random = new Random(20240506);
        var watch = Stopwatch.StartNew();
        var cases = 0;
        var parsed = 0;
        while (watch.Elapsed < TimeSpan.FromSeconds(3))
        {
            var text = (cases % 3) switch
            {
                0 => Mutate(Seeds[random.Next(Seeds.Length)], random),
                1 => Assemble(random),
                _ => RandomText(random),
            };
            cases++;
            try
            {
                var dockerfile = DockerfileParser.Parse(text);
                parsed++;
                Assert.NotEmpty(dockerfile.Stages);
                foreach (var instruction in dockerfile.AllInstructions)
                {
                    Assert.InRange(instruction.Line, 1, text.Split('\n').Length);
                }
            }
            catch (DockerfileParseException ex)
            {
                Assert.InRange(ex.Line, 1, Math.Max(1, text.Split('\n').Length));
                Assert.StartsWith($"Dockerfile line {ex.Line}: ", ex.Message);
            }
            catch (Exception ex)
            {
                Assert.Fail($"case {cases} threw {ex.GetType().Name}: {ex.Message}\n--- input ---\n{text}");
            }
        }
        Assert.True(cases > 1000, $"only {cases} cases ran");
        Assert.True(parsed > 0, "no random case parsed; the generator only makes garbage");
    }

    private static string Mutate(string seed, Random random)
    {
        var text = new StringBuilder(seed);
        for (var i = random.Next(1, 6); i > 0; i--)
        {
            var at = random.Next(text.Length + 1);
            switch (random.Next(3))
            {
                case 0:
                    text.Insert(at, Fragments[random.Next(Fragments.Length)]);
                    break;
                case 1 when text.Length > 0:
                    text.Remove(Math.Min(at, text.Length - 1), Math.Min(random.Next(1, 8), text.Length - Math.Min(at, text.Length - 1)));
                    break;
                default:
                    text.Insert(at, (char)random.Next(1, 0x250));
                    break;
            }
        }
        return text.ToString();
    }

    private static string Assemble(Random random)
    {
        var text = new StringBuilder();
        for (var i = random.Next(1, 30); i > 0; i--)
        {
            text.Append(Fragments[random.Next(Fragments.Length)]);
            if (random.Next(4) == 0)
            {
                text.Append(' ').Append("abc/x:1 y=2"[..random.Next(12)]);
            }
        }
        return text.ToString();
    }

    private static string RandomText(Random random)
    {
        var chars = new char[random.Next(0, 200)];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = random.Next(5) == 0 ? '\n' : (char)random.Next(0, 128);
        }
        return "FROM x\n" + new string(chars);
    }
}
