using ImageStreams.Builder.Dockerfiles;

namespace ImageStreams.Builder.Tests.Dockerfiles;

public class DockerfileParserTests
{
    [Fact]
    public void Parse_ReadsInstructionsWithTheirLinesFlagsAndForms()
    {
        var dockerfile = DockerfileParser.Parse("""
            # a comment
            FROM registry.example.com/base:1 AS base

            COPY --chown=10:20 --chmod=0644 a.txt b.txt /app/
            CMD ["httpd", "-f"]
            ENTRYPOINT /bin/sh -c 'exec "$0"'
            """);

        var stage = Assert.Single(dockerfile.Stages);
        Assert.Equal("base", stage.Name);
        Assert.Equal("registry.example.com/base:1", stage.BaseImage);
        Assert.Equal(2, stage.From.Line);
        var copy = stage.Instructions[0];
        Assert.Equal(("COPY", 4), (copy.Keyword, copy.Line));
        Assert.Equal("10:20", copy.Flag("chown"));
        Assert.Equal("0644", copy.Flag("chmod"));
        Assert.Equal("a.txt b.txt /app/", copy.Arguments);
        Assert.Equal(["httpd", "-f"], stage.Instructions[1].Json);
        Assert.Null(stage.Instructions[2].Json);
    }

    [Fact]
    public void Parse_JoinsContinuationLines_SkippingCommentsInside()
    {
        var dockerfile = DockerfileParser.Parse("FROM scratch\nLABEL a=1 \\\n# inside\n      b=2 \\\n\n      c=3\nUSER 1000\n");

        var label = dockerfile.FinalStage.Instructions[0];
        Assert.Equal(2, label.Line);
        Assert.Equal(["a", "b", "c"], DockerfileParser.KeyValues(label, '\\', false, true).Select(p => p.Key));
        Assert.Equal(7, dockerfile.FinalStage.Instructions[1].Line);
    }

    [Fact]
    public void Parse_EscapeDirective_MakesTheBacktickTheContinuationCharacter()
    {
        var dockerfile = DockerfileParser.Parse("# escape=`\nFROM scratch\nWORKDIR C:\\app\nENV A=1 `\n    B=2\n");

        Assert.Equal('`', dockerfile.Escape);
        Assert.Equal("C:\\app", dockerfile.FinalStage.Instructions[0].Arguments);
        Assert.Equal(2, DockerfileParser.KeyValues(dockerfile.FinalStage.Instructions[1], '`', true, true).Count);
    }

    [Fact]
    public void Parse_MultiStage_KeepsStagesAndGlobalArgs()
    {
        var dockerfile = DockerfileParser.Parse("""
            ARG BASE=alpine
            FROM ${BASE} AS Build
            RUN make
            FROM scratch
            COPY --from=build /out /bin/
            """);

        Assert.Single(dockerfile.GlobalArgs);
        Assert.Equal(2, dockerfile.Stages.Count);
        Assert.Equal("build", dockerfile.Stages[0].Name);
        Assert.Equal("build", dockerfile.FinalStage.Instructions[0].Flag("from"));
    }

    [Fact]
    public void Parse_OnBuild_KeepsTheNestedInstruction()
    {
        var onbuild = DockerfileParser.Parse("FROM scratch\nONBUILD COPY --chown=1 . /src\n").FinalStage.Instructions[0];

        Assert.Equal("COPY", onbuild.Nested!.Keyword);
        Assert.Equal("1", onbuild.Nested.Flag("chown"));
    }

    [Theory]
    [InlineData("FROM scratch\nFOO bar\n", 2, "unknown instruction: FOO")]
    [InlineData("LABEL a=b\nFROM scratch\n", 1, "LABEL before the first FROM")]
    [InlineData("# just a comment\n", 1, "no FROM instruction")]
    [InlineData("FROM scratch\nCOPY onlyone\n", 2, "at least two arguments")]
    [InlineData("FROM scratch\n\nENV A=\"unterminated\n", 3, "double-quote")]
    [InlineData("FROM scratch\nLABEL novalue\n", 2, "has no '='")]
    [InlineData("FROM scratch\nWORKDIR ${X:?err}\n", 2, "unsupported modifier")]
    [InlineData("FROM scratch\nUSER ${\n", 2, "bad substitution")]
    [InlineData("FROM scratch\nUSER ${A:-x\n", 2, "missing '}'")]
    [InlineData("FROM scratch\nCOPY --bogus=1 a b\n", 2, "unknown flag for COPY: --bogus")]
    [InlineData("FROM scratch\nRUN <<EOF\necho\nEOF\n", 2, "heredocs")]
    [InlineData("FROM scratch\nSHELL /bin/bash\n", 2, "JSON form")]
    [InlineData("FROM a AS x\nFROM b AS X\n", 2, "used twice")]
    [InlineData("# escape=x\nFROM scratch\n", 1, "invalid escape character")]
    [InlineData("FROM scratch\nHEALTHCHECK --interval=fast CMD true\n", 2, "duration")]
    [InlineData("FROM scratch\nONBUILD FROM x\n", 2, "not allowed inside ONBUILD")]
    [InlineData("FROM scratch\nARG 1bad\n", 2, "invalid ARG name")]
    public void Parse_BadDockerfile_FailsWithTheLineAndReason(string text, int line, string reason)
    {
        var error = Assert.Throws<DockerfileParseException>(() => DockerfileParser.Parse(text));

        Assert.Equal(line, error.Line);
        Assert.Contains(reason, error.Message);
        Assert.StartsWith($"Dockerfile line {line}: ", error.Message);
    }

    [Fact]
    public void Parse_HealthcheckFlags_AreReadAsDurations()
    {
        var check = DockerfileParser.Parse("FROM scratch\nHEALTHCHECK --interval=1m30s --retries=3 CMD [\"/bin/true\"]\n").FinalStage.Instructions[0];

        Assert.True(DockerfileParser.TryParseDuration(check.Flag("interval")!, out var interval));
        Assert.Equal(TimeSpan.FromSeconds(90), interval);
        Assert.Equal(["/bin/true"], check.Json);
    }
}
