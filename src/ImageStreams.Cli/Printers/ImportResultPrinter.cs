using System.Globalization;
using System.Text;
using ImageStreams.Model.Image;
using ImageStreams.Model.Meta;

namespace ImageStreams.Cli.Printers;

/// <summary>What import-image prints: the report for standard output, one error line per failed image, and whether any failed.</summary>
internal sealed record ImportReport(string Output, IReadOnlyList<string> Errors, bool Failed);

/// <summary>
/// import-image's answer in oc's layout: "imagestream.image.openshift.io/NAME imported", a blank line, the stream
/// described, then each imported image described, and a note about repository tags left out.
/// </summary>
internal static class ImportResultPrinter
{
    public static ImportReport Format(ImageStreamImport result, bool dryRun, DateTimeOffset now)
    {
        var name = result.Metadata.Name ?? "";
        var status = result.Status ?? new ImageStreamImportStatus();
        var failed = Failed(status);
        var text = new StringBuilder();
        text.Append(ObjectPrinter.QualifiedName(ResourceTypes.ImageStreams, name))
            .Append(failed ? " imported with errors" : " imported")
            .Append(dryRun ? " (dry run)" : "")
            .Append("\n\n");
        if (status.Import is { } stream)
        {
            text.Append(ImageStreamDescriber.Describe(stream, now)).Append('\n');
        }

        var errors = new List<string>();
        if (status.Repository is { } repository)
        {
            if (repository.Status.State == Status.Failure)
            {
                errors.Add($"error: repository {result.Spec.Repository?.From.Name} failed: {repository.Status.Message}");
            }
            AppendImages(text, errors, name, repository.Images ?? [], "repository tag", now);
        }
        AppendImages(text, errors, name, status.Images ?? [], "tag", now);

        if (status.Repository?.AdditionalTags is { Count: > 0 } additional)
        {
            text.Append(CultureInfo.InvariantCulture,
                $"\ninfo: The remote repository contained {additional.Count} additional tags which were not imported: {string.Join(", ", additional)}\n");
        }
        // oc ends the report with the newline of the line it was printed on.
        text.Append('\n');
        return new ImportReport(text.ToString(), errors, failed);
    }

    /// <summary>Any image or the repository failed, as oc decides "imported with errors".</summary>
    public static bool Failed(ImageStreamImportStatus status) =>
        (status.Images ?? []).Any(i => i.Status.State == Status.Failure) || status.Repository?.Status.State == Status.Failure;

    private static void AppendImages(
        StringBuilder text, List<string> errors, string stream, IReadOnlyList<ImageImportStatus> images, string what, DateTimeOffset now)
    {
        foreach (var image in images)
        {
            if (image.Image is { } found && image.Status.State != Status.Failure)
            {
                text.Append(ImageDescriber.Describe(found, $"{stream}:{image.Tag}", now)).Append('\n');
            }
            else
            {
                errors.Add($"error: {what} {image.Tag} failed: {image.Status.Message}");
            }
        }
    }
}
