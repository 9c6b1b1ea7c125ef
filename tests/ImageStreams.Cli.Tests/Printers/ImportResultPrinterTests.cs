using ImageStreams.Cli.Printers;
using ImageStreams.Model.Image;
using ImageStreams.Model.Meta;

namespace ImageStreams.Cli.Tests.Printers;

public class ImportResultPrinterTests
{
    private static readonly Status Success = new() { State = Status.Success, Code = 200 };

    [Fact]
    public void Format_OfTheSeedImport_PrintsWhatOcPrinted()
    {
        var result = new ImageStreamImport
        {
            Metadata = new ObjectMeta { Name = "rhel7", Namespace = "araszka-playground" },
            Status = new ImageStreamImportStatus
            {
                Import = Seed000.Stream,
                Images = [new ImageImportStatus { Status = Success, Image = Seed000.Image, Tag = "latest" }],
            },
        };

        var report = ImportResultPrinter.Format(result, dryRun: false, Seed000.Now);

        Assert.Equal(Seed000.ImportOutput, report.Output);
        Assert.Empty(report.Errors);
        Assert.False(report.Failed);
    }

    [Fact]
    public void Format_OfAFailedTag_ReportsImportedWithErrorsAndTheServersMessage()
    {
        var result = new ImageStreamImport
        {
            Metadata = new ObjectMeta { Name = "rhel7" },
            Status = new ImageStreamImportStatus
            {
                Images =
                [
                    new ImageImportStatus
                    {
                        Status = new Status
                        {
                            State = Status.Failure, Code = 404, Reason = StatusReasons.NotFound,
                            Message = "dockerimage.image.openshift.io \"127.0.0.1:5000/rhel7:nope\" not found",
                        },
                        Tag = "nope",
                    },
                ],
            },
        };

        var report = ImportResultPrinter.Format(result, dryRun: false, Seed000.Now);

        Assert.True(report.Failed);
        Assert.Equal("imagestream.image.openshift.io/rhel7 imported with errors\n\n\n", report.Output);
        Assert.Equal(["error: tag nope failed: dockerimage.image.openshift.io \"127.0.0.1:5000/rhel7:nope\" not found"], report.Errors);
    }

    [Fact]
    public void Format_OfARepositoryImport_DescribesEachTagAndNamesTheTagsLeftOut()
    {
        var result = new ImageStreamImport
        {
            Metadata = new ObjectMeta { Name = "rhel7" },
            Spec = new ImageStreamImportSpec { Repository = new RepositoryImportSpec { From = new ObjectReference { Name = "registry.io/rhel7" } } },
            Status = new ImageStreamImportStatus
            {
                Repository = new RepositoryImportStatus
                {
                    Status = Success,
                    Images =
                    [
                        new ImageImportStatus { Status = Success, Image = Seed000.Image, Tag = "latest" },
                        new ImageImportStatus { Status = new Status { State = Status.Failure, Message = "unsupported image manifest type" }, Tag = "old" },
                    ],
                    AdditionalTags = ["7.1", "7.0"],
                },
            },
        };

        var report = ImportResultPrinter.Format(result, dryRun: true, Seed000.Now);

        // A failed tag of a repository import is reported, but the repository itself was read: not "with errors", as oc.
        Assert.False(report.Failed);
        Assert.StartsWith("imagestream.image.openshift.io/rhel7 imported (dry run)\n\nImage Name:\trhel7:latest\n", report.Output, StringComparison.Ordinal);
        Assert.EndsWith("\t\tcontainer=oci\n\n\ninfo: The remote repository contained 2 additional tags which were not imported: 7.1, 7.0\n\n", report.Output, StringComparison.Ordinal);
        Assert.Equal(["error: repository tag old failed: unsupported image manifest type"], report.Errors);
    }

    [Fact]
    public void Format_OfAFailedRepository_SaysWhichRepositoryAndWhy()
    {
        var result = new ImageStreamImport
        {
            Metadata = new ObjectMeta { Name = "app" },
            Spec = new ImageStreamImportSpec { Repository = new RepositoryImportSpec { From = new ObjectReference { Name = "registry.io/app" } } },
            Status = new ImageStreamImportStatus
            {
                Repository = new RepositoryImportStatus
                {
                    Status = new Status { State = Status.Failure, Reason = StatusReasons.Unauthorized, Message = "you may not have access to the container image \"registry.io/app\"" },
                },
            },
        };

        var report = ImportResultPrinter.Format(result, dryRun: false, Seed000.Now);

        Assert.True(report.Failed);
        Assert.Equal(["error: repository registry.io/app failed: you may not have access to the container image \"registry.io/app\""], report.Errors);
    }
}
