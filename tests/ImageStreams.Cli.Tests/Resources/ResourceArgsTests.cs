using ImageStreams.Cli.Resources;
using ImageStreams.Model.Meta;

namespace ImageStreams.Cli.Tests.Resources;

public class ResourceArgsTests
{
    [Theory]
    [InlineData("is")]
    [InlineData("imagestream")]
    [InlineData("imagestreams")]
    [InlineData("ImageStream")]
    [InlineData("imagestreams.image.openshift.io")]
    public void KubectlAndOcNames_ResolveToImageStreams(string name) =>
        Assert.Equal(ResourceTypes.ImageStreams, ResourceArgs.Parse([name, "rhel7"], "get").Single().Type);

    [Theory]
    [InlineData("istag", "imagestreamtags")]
    [InlineData("isimage", "imagestreamimages")]
    [InlineData("image", "images")]
    [InlineData("images", "images")]
    [InlineData("ns", "namespaces")]
    [InlineData("namespace", "namespaces")]
    [InlineData("secret", "secrets")]
    public void ShortAndSingularNames_Resolve(string name, string resource) =>
        Assert.Equal(resource, ResourceArgs.Parse([name], "get").Single().Type.Resource);

    [Fact]
    public void TypeSlashName_GroupsConsecutiveNamesOfOneType()
    {
        var selections = ResourceArgs.Parse(["is/a", "is/b", "istag/a:latest"], "get");

        Assert.Equal(2, selections.Count);
        Assert.Equal(["a", "b"], selections[0].Names);
        Assert.Equal(["a:latest"], selections[1].Names);
    }

    [Fact]
    public void ATypeFollowedByTypeSlashName_IsRefused()
    {
        var error = Assert.Throws<CliException>(() => ResourceArgs.Parse(["is", "is/a"], "get"));

        Assert.Contains("no need to give a resource type as a separate argument", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnknownType_IsNamedInTheError()
    {
        var error = Assert.Throws<CliException>(() => ResourceArgs.Parse(["pods"], "get"));

        Assert.StartsWith("the server doesn't have a resource type \"pods\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NoArguments_ListTheKnownTypes()
    {
        var error = Assert.Throws<CliException>(() => ResourceArgs.Parse([], "get"));

        Assert.Contains(ResourceArgs.KnownTypes, error.Message, StringComparison.Ordinal);
    }
}
