using ImageStreams.Registry.Manifests;
using ImageStreams.Registry.References;

namespace ImageStreams.Registry.Tests.Manifests;

public class PlatformSelectorTests
{
    private static readonly Descriptor Attestation = Child(1, new Platform("unknown", "unknown"));
    private static readonly Descriptor Ppc = Child(2, new Platform("linux", "ppc64le"));
    private static readonly Descriptor Amd64 = Child(3, Platform.LinuxAmd64);
    private static readonly Descriptor Arm64 = Child(4, new Platform("linux", "arm64", "v8"));
    private static readonly Descriptor ArmV7 = Child(5, new Platform("linux", "arm", "v7"));
    private static readonly Descriptor Windows = Child(6, new Platform("windows", "amd64"));

    [Fact]
    public void Select_PreferredPlatform_WinsOverEverythingElse()
    {
        Assert.Same(Arm64, PlatformSelector.Select([Amd64, Arm64], new Platform("linux", "arm64"), new Platform("linux", "ppc64le")));
    }

    [Fact]
    public void Select_WithoutPreference_UsesTheConfiguredDefault()
    {
        Assert.Same(Ppc, PlatformSelector.Select([Amd64, Ppc], null, new Platform("linux", "ppc64le")));
    }

    [Fact]
    public void Select_WhenNeitherMatches_FallsBackToLinuxAmd64()
    {
        Assert.Same(Amd64, PlatformSelector.Select([Ppc, Windows, Amd64], new Platform("linux", "s390x"), new Platform("linux", "riscv64")));
    }

    [Fact]
    public void Select_WithoutAmd64_TakesTheFirstRealPlatform()
    {
        Assert.Same(Ppc, PlatformSelector.Select([Attestation, Ppc, ArmV7], null, null));
        Assert.Same(Attestation, PlatformSelector.Select([Attestation], null, null));
    }

    [Fact]
    public void Select_ComparesTheVariantOnlyWhenOneIsWanted()
    {
        Assert.Same(ArmV7, PlatformSelector.Select([Amd64, ArmV7], new Platform("linux", "arm"), null));
        Assert.Same(Amd64, PlatformSelector.Select([Amd64, ArmV7], new Platform("linux", "arm", "v6"), null));
    }

    [Theory]
    [InlineData("arm64", null, "linux/arm64")]
    [InlineData("arm/v7", null, "linux/arm/v7")]
    [InlineData(null, "windows", "windows/amd64")]
    [InlineData("s390x", "linux", "linux/s390x")]
    [InlineData(null, null, null)]
    public void Preferred_ReadsTheTagAnnotations(string? architecture, string? os, string? expected)
    {
        Assert.Equal(expected, PlatformSelector.Preferred(architecture, os)?.ToString());
    }

    private static Descriptor Child(int n, Platform platform) =>
        new(MediaTypes.OciManifest, Digest.Parse("sha256:" + new string((char)('0' + n), 64)), 100) { Platform = platform };
}
