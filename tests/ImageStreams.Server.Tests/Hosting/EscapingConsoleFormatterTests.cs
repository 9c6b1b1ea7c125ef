using ImageStreams.Server.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ImageStreams.Server.Tests.Hosting;

public class EscapingConsoleFormatterTests
{
    [Fact]
    public void UserTextWithNewlinesAndTerminalEscapes_StaysOnOneEscapedLine()
    {
        var formatter = new EscapingConsoleFormatter();
        using var output = new StringWriter();
        var path = "/apis/x\n12:00:00 info: Forged[1] admin logged in\u001b[2J\u2028";
        var entry = new LogEntry<string>(LogLevel.Error, "ImageStreams.Api", new EventId(2), path, new InvalidOperationException("boom\r\nline"),
            (state, _) => $"POST {state} failed");

        formatter.Write(entry, null, output);

        var text = output.ToString();
        Assert.Single(text.TrimEnd('\n').Split('\n'));
        Assert.Contains("fail: ImageStreams.Api[2] POST /apis/x\\n12:00:00 info: Forged[1] admin logged in\\x1b[2J\\u2028 failed", text, StringComparison.Ordinal);
        Assert.Contains("boom\\r\\nline", text, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', text);
        Assert.DoesNotContain('\r', text);
    }

    [Theory]
    [InlineData("plain text: ok", "plain text: ok")]
    [InlineData("tab\there", "tab\\there")]
    [InlineData("nul\0bell\a", "nul\\x00bell\\x07")]
    [InlineData("c1\u0085rtl\u202e", "c1\\x85rtl\\u202e")]
    public void Escape_WritesControlCharactersAsEscapes(string text, string expected) =>
        Assert.Equal(expected, EscapingConsoleFormatter.Escape(text));
}
