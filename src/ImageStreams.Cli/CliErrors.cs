using ImageStreams.Model.Meta;

namespace ImageStreams.Cli;

/// <summary>The one line printed for a failure, in kubectl's words.</summary>
internal static class CliErrors
{
    public static string Describe(Exception error) => error switch
    {
        ApiException api when string.IsNullOrEmpty(api.Status.Reason) => $"Error from server: {api.Message}",
        ApiException api => $"Error from server ({api.Status.Reason}): {api.Message}",
        _ => "error: " + OneLine(error.Message),
    };

    public static string OneLine(string text) =>
        string.Join(" ", text.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
}
