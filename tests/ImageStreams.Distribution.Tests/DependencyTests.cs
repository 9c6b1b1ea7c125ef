namespace ImageStreams.Distribution.Tests;

public sealed class DependencyTests
{
    [Fact]
    public void TheRegistryDependsOnlyOnTheModel_TheResources_AndTheRegistryClient()
    {
        var ours = typeof(DistributionOptions).Assembly.GetReferencedAssemblies()
            .Select(a => a.Name!)
            .Where(n => n.StartsWith("ImageStreams.", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);

        Assert.Equal(["ImageStreams.Model", "ImageStreams.Registry", "ImageStreams.Resources"], ours);
    }
}
