using ImageStreams.Registry.Client;
using Microsoft.Extensions.DependencyInjection;

namespace ImageStreams.Builder.Tests;

public class BuilderServiceCollectionExtensionsTests
{
    [Fact]
    public void AddImageBuilders_RegistersTheDispatcherAndTheSourceFetcher_SharingTheHostsRegistryClient()
    {
        using var client = new RegistryClient();
        var services = new ServiceCollection().AddSingleton<IRegistryClient>(client).AddImageBuilders(new BuilderOptions());
        using var provider = services.BuildServiceProvider();

        Assert.IsType<ImageBuilderDispatcher>(provider.GetRequiredService<IImageBuilder>());
        Assert.IsType<ImageStreams.Builder.Sources.SourceFetcher>(provider.GetRequiredService<ISourceFetcher>());
        Assert.Same(client, provider.GetRequiredService<IRegistryClient>());
    }

    [Fact]
    public void AddImageBuilders_InvalidOption_IsRefusedAtStartUp()
    {
        var error = Assert.Throws<ArgumentException>(() => new ServiceCollection().AddImageBuilders(new BuilderOptions { DefaultPlatform = "amd64" }));

        Assert.Contains("DefaultPlatform", error.Message);
    }
}
