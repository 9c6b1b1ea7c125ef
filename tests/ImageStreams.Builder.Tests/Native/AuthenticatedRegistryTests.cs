using ImageStreams.Builder.Buildah;
using ImageStreams.Registry.Auth;
using ImageStreams.Registry.Client;
using ImageStreams.Registry.References;
using ImageStreams.Testing.Registry;

namespace ImageStreams.Builder.Tests.Native;

/// <summary>Builds that pull from and push to a registry behind htpasswd: credentials reach both builders.</summary>
public class AuthenticatedRegistryTests
{
    private static readonly RegistryAccess Bob = new() { Credentials = CredentialProviders.Static(new RegistryCredential("bob", "builder")) };

    [Fact]
    public async Task NativeAndBuildah_PullAndPushWithCredentials_AndWithoutThemAreRefused()
    {
        await using var registry = await DockerRegistryPeer.StartWithBasicAuthAsync("bob", "builder");
        await using var env = await BuildEnvironment.StartAsync();
        var tag = "base";
        await env.Images.BuildAsync(tag, new TestImageSpec { Cmd = ["/bin/sh"] });
        await env.Images.PushAsync(tag, $"{registry.Host}/library/base:1", credentials: "bob:builder");
        var baseImage = ImageReference.Parse($"{registry.Host}/library/base:1");
        var context = env.Context(new Dictionary<string, string> { ["a"] = "a" });
        BuildRequest Request(string dockerfile, string output, RegistryAccess access) => new()
        {
            ContextDirectory = context,
            Dockerfile = dockerfile,
            Base = baseImage,
            BaseAccess = access,
            Output = ImageReference.Parse($"{registry.Host}/{output}"),
            OutputAccess = access,
        };
        var buildah = new BuildahImageBuilder(env.Client, env.Options);

        var native = await env.Native.BuildAsync(Request("FROM x\nCOPY a /a\n", "team/native:v1", Bob), TextWriter.Null);
        var withRun = await buildah.BuildAsync(Request("FROM x\nRUN [\"/bin/busybox\", \"true\"]\n", "team/buildah:v1", Bob), TextWriter.Null);
        var refused = await Assert.ThrowsAsync<BuildException>(() => env.Native.BuildAsync(Request("FROM x\nCOPY a /a\n", "team/native:v2", RegistryAccess.Anonymous), TextWriter.Null));

        Assert.Equal(native.ImageDigest.ToString(), await TestImages.ManifestDigestAsync($"{registry.Host}/team/native:v1", "bob:builder"));
        Assert.Equal(withRun.ImageDigest.ToString(), await TestImages.ManifestDigestAsync($"{registry.Host}/team/buildah:v1", "bob:builder"));
        Assert.Equal(BuildReasons.PullBuilderImageFailed, refused.Reason);
        Assert.Contains("you may not have access", refused.Message);
    }
}
