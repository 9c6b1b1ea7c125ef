using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace ImageStreams.Server.Hosting;

/// <summary>
/// One line per log entry, as the simple console formatter writes it, with every control character of the message
/// escaped: names, paths and registry answers that reach a message cannot forge log lines or send terminal escapes.
/// </summary>
internal sealed class EscapingConsoleFormatter() : ConsoleFormatter(Name)
{
    public new const string Name = "imagestreams";

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        if (string.IsNullOrEmpty(message) && logEntry.Exception is null)
        {
            return;
        }
        var line = new StringBuilder();
        line.Append(DateTimeOffset.Now.ToString("HH:mm:ss ", CultureInfo.InvariantCulture));
        line.Append(Level(logEntry.LogLevel)).Append(": ").Append(logEntry.Category);
        line.Append('[').Append(logEntry.EventId.Id.ToString(CultureInfo.InvariantCulture)).Append("] ");
        line.Append(Escape(message));
        if (logEntry.Exception is { } exception)
        {
            line.Append(' ').Append(Escape(exception.ToString()));
        }
        textWriter.WriteLine(line.ToString());
    }

    /// <summary><paramref name="text"/> with control and line-separator characters written as <c>\n</c>, <c>\x1b</c>, <c>\u2028</c>.</summary>
    public static string Escape(string text)
    {
        if (!text.Any(NeedsEscape))
        {
            return text;
        }
        var escaped = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            escaped.Append(c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when c < 0x100 && NeedsEscape(c) => $"\\x{(int)c:x2}",
                _ when NeedsEscape(c) => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        }
        return escaped.ToString();
    }

    private static bool NeedsEscape(char c) => char.IsControl(c) || c is '\u2028' or '\u2029' or '\u202e' or '\u2066' or '\u2067' or '\u2068' or '\u2069';

    private static string Level(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce",
        LogLevel.Debug => "dbug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "fail",
        LogLevel.Critical => "crit",
        _ => "none",
    };
}
