using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using ImageStreams.Model.Serialization;

namespace ImageStreams.Model.Tests.Serialization;

public class YamlTests
{
    [Fact]
    public void Documents_KeepTypesOfPlainScalars_StringsOfQuotedOnes_AndSkipEmptyDocuments()
    {
        var documents = Yaml.ParseDocuments("""
            a: 1
            b: "2"
            c: true
            d: ~
            e: [x, 1.5]
            "1": key
            ---
            ---
            f: {g: h}
            """);

        Assert.Equal(2, documents.Count);
        Assert.Equal("""{"a":1,"b":"2","c":true,"d":null,"e":["x",1.5],"1":"key"}""", documents[0].ToJsonString());
        Assert.Equal("""{"f":{"g":"h"}}""", documents[1].ToJsonString());
    }

    [Fact]
    public void Aliases_AreCopiesOfTheirAnchors()
    {
        var document = Assert.Single(Yaml.ParseDocuments("""
            base: &b {k: v, list: [1, 2]}
            copy: *b
            scalar: &s text
            again: *s
            """));

        Assert.Equal("""{"base":{"k":"v","list":[1,2]},"copy":{"k":"v","list":[1,2]},"scalar":"text","again":"text"}""", document.ToJsonString());
    }

    [Fact]
    public void AnAliasBomb_IsRefusedQuickly()
    {
        var bomb = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for (var level = 'b'; level <= 'j'; level++)
        {
            var previous = (char)(level - 1);
            bomb.Append($"{level}: &{level} [*{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}]\n");
        }
        var watch = Stopwatch.StartNew();

        var error = Assert.Throws<FormatException>(() => Yaml.ParseDocuments(bomb.ToString()));

        Assert.Contains($"aliases expand to more than {Yaml.MaxAliasNodes} nodes", error.Message, StringComparison.Ordinal);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
    }

    [Theory]
    [InlineData(100_000, "[", "]")]
    [InlineData(100_000, "{a: ", "}")]
    [InlineData(Yaml.MaxDepth + 1, "[", "]")]
    public void DeepNesting_IsRefusedWithoutExhaustingTheStack(int depth, string open, string close)
    {
        var text = string.Concat(Enumerable.Repeat(open, depth)) + "1" + string.Concat(Enumerable.Repeat(close, depth));

        var error = Assert.Throws<FormatException>(() => Yaml.ParseDocuments(text));

        Assert.Contains($"nested deeper than {Yaml.MaxDepth} levels", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NestingAtTheLimit_IsRead()
    {
        var text = string.Concat(Enumerable.Repeat("[", Yaml.MaxDepth)) + "1" + string.Concat(Enumerable.Repeat("]", Yaml.MaxDepth));

        var node = Assert.Single(Yaml.ParseDocuments(text));

        Assert.IsType<JsonArray>(node);
    }

    [Fact]
    public void AnAliasThatWouldGoTooDeep_IsRefused()
    {
        var deep = string.Concat(Enumerable.Repeat("[", 40)) + "1" + string.Concat(Enumerable.Repeat("]", 40));
        var text = $"a: &d {deep}\nb: " + string.Concat(Enumerable.Repeat("[", 30)) + "*d" + string.Concat(Enumerable.Repeat("]", 30));

        var error = Assert.Throws<FormatException>(() => Yaml.ParseDocuments(text));

        Assert.Contains("nested deeper than", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a: *nope", "unknown alias \"nope\"")]
    [InlineData("? [a]\n: b", "mapping keys must be strings")]
    [InlineData("a: 1\na: 2", "duplicate key \"a\"")]
    [InlineData("a: [1, 2", "invalid YAML at line")]
    [InlineData("a: &r [*r]", "unknown alias \"r\"")]
    public void BadDocuments_AreFormatErrorsThatSayWhy(string text, string message)
    {
        var error = Assert.Throws<FormatException>(() => Yaml.ParseDocuments(text));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }
}
