using ImageStreams.Builder.Dockerfiles;

namespace ImageStreams.Builder.Tests.Dockerfiles;

public class ShellWordsTests
{
    private static readonly Dictionary<string, string> Variables = new() { ["NAME"] = "app", ["EMPTY"] = "", ["SPACED"] = "a b" };

    private static string? Lookup(string name) => Variables.TryGetValue(name, out var value) ? value : null;

    [Theory]
    [InlineData("$NAME", "app")]
    [InlineData("${NAME}-x", "app-x")]
    [InlineData("${MISSING:-fallback}", "fallback")]
    [InlineData("${EMPTY:-fallback}", "fallback")]
    [InlineData("${EMPTY-fallback}", "")]
    [InlineData("${MISSING-fallback}", "fallback")]
    [InlineData("${NAME:+set}", "set")]
    [InlineData("${MISSING:+set}", "")]
    [InlineData("${MISSING:-${NAME}}", "app")]
    [InlineData("'$NAME'", "$NAME")]
    [InlineData("\"$NAME is here\"", "app is here")]
    [InlineData("\\$NAME", "$NAME")]
    [InlineData("cost $", "cost $")]
    [InlineData("a\\ b", "a b")]
    public void Word_SubstitutesAndUnquotes(string text, string expected) =>
        Assert.Equal(expected, ShellWords.Word(text, '\\', Lookup));

    [Fact]
    public void Split_SeparatesOnUnquotedWhitespace() =>
        Assert.Equal(["a b", "c", "app"], ShellWords.Split("\"a b\"  c $NAME", '\\', Lookup));

    [Fact]
    public void SplitRaw_KeepsQuotesForLaterProcessing() =>
        Assert.Equal(["A=\"x y\"", "B=2"], ShellWords.SplitRaw("A=\"x y\" B=2", '\\'));
}
