using ImageStreams.Builder.Sources;
using ImageStreams.Registry.Client;
using ImageStreams.Registry.Manifests;
using ImageStreams.Registry.References;
using ImageStreams.Testing.Processes;

namespace ImageStreams.Builder.Tests.Native;

/// <summary>
/// Seed 002's images: httpd-base built from a local git repository on an imported image, app-a and app-b built on
/// httpd-base; then httpd-base rebuilt and both applications rebased on it.
/// </summary>
public class Seed002Tests
{
    [Fact]
    public async Task HttpdBaseAndTwoApps_AreBuiltFromGit_AndRebasedWhenTheBaseIsRebuilt()
    {
        await using var env = await BuildEnvironment.StartAsync();
        using var sources = new TempDirectory("seed002");
        var imported = await env.PushBaseAsync("upstream/httpd:2.4");
        var repository = await GitRepositoryAsync(sources.Combine("repo"));
        var fetcher = new SourceFetcher(env.Options);
        var builder = new ImageBuilderDispatcher(env.Native, new ImageStreams.Builder.Buildah.BuildahImageBuilder(env.Client, env.Options));
        var importedDigest = (await env.Client.Manifests.HeadAsync(imported, RegistryAccess.Anonymous)).Digest;

        async Task<BuildResult> BuildAsync(string contextDir, ImageReference from, string output, int run)
        {
            var checkout = sources.Combine($"{contextDir}-{run}");
            await fetcher.CloneAsync("file://" + repository, "master", checkout, TextWriter.Null);
            var baseDigest = (await env.Client.Manifests.HeadAsync(from, RegistryAccess.Anonymous)).Digest;
            return await builder.BuildAsync(new BuildRequest
            {
                ContextDirectory = Path.Combine(checkout, contextDir),
                Base = from.WithDigest(baseDigest),
                Output = env.Output(output),
                Labels = new Dictionary<string, string> { ["io.openshift.build.name"] = $"{contextDir}-{run}" },
            }, TextWriter.Null);
        }

        var httpdBase = await BuildAsync("httpd-base", imported, "myproject/httpd-base:latest", 1);
        var appA = await BuildAsync("app-a", env.Output("myproject/httpd-base:latest"), "myproject/app-a:latest", 1);
        var appB = await BuildAsync("app-b", env.Output("myproject/httpd-base:latest"), "myproject/app-b:latest", 1);

        Assert.Equal(importedDigest, httpdBase.Base!.Digest);
        Assert.Equal(httpdBase.ImageDigest, appA.Base!.Digest);
        Assert.Equal(httpdBase.ImageDigest, appB.Base!.Digest);
        var baseLayers = (await BuildEnvironment.SkopeoInspectAsync(env.Output("myproject/httpd-base:latest").Exact()))["Layers"]!.AsArray().Select(l => l!.GetValue<string>()).ToList();
        foreach (var app in new[] { "app-a", "app-b" })
        {
            var reference = env.Output($"myproject/{app}:latest").Exact();
            var inspect = await BuildEnvironment.SkopeoInspectAsync(reference);
            var layers = inspect["Layers"]!.AsArray().Select(l => l!.GetValue<string>()).ToList();
            Assert.Equal(baseLayers, layers.Take(baseLayers.Count));
            Assert.Equal(baseLayers.Count + 1, layers.Count);
            var manifest = await BuildEnvironment.SkopeoManifestAsync(reference);
            Assert.Equal(httpdBase.ImageDigest.ToString(), manifest["annotations"]!["org.opencontainers.image.base.digest"]!.GetValue<string>());
            Assert.Equal(env.Output("myproject/httpd-base:latest").Exact(), manifest["annotations"]!["org.opencontainers.image.base.name"]!.GetValue<string>());
            Assert.Equal("8080/tcp", inspect["Labels"]!["io.example.port"]!.GetValue<string>());
        }

        // "Start build" on httpd-base after a fix in its repository, then the two applications on the new base.
        await CommitAsync(repository, "httpd-base/httpd.conf", "Listen 8080\nServerTokens Prod\n");
        var rebuiltBase = await BuildAsync("httpd-base", imported, "myproject/httpd-base:latest", 2);
        var rebasedA = await BuildAsync("app-a", env.Output("myproject/httpd-base:latest"), "myproject/app-a:latest", 2);
        var rebasedB = await BuildAsync("app-b", env.Output("myproject/httpd-base:latest"), "myproject/app-b:latest", 2);

        Assert.NotEqual(httpdBase.ImageDigest, rebuiltBase.ImageDigest);
        Assert.Equal(rebuiltBase.ImageDigest, rebasedA.Base!.Digest);
        Assert.Equal(rebuiltBase.ImageDigest, rebasedB.Base!.Digest);
        foreach (var app in new[] { "app-a", "app-b" })
        {
            var manifest = await BuildEnvironment.SkopeoManifestAsync(env.Output($"myproject/{app}:latest").Exact());
            Assert.Equal(rebuiltBase.ImageDigest.ToString(), manifest["annotations"]!["org.opencontainers.image.base.digest"]!.GetValue<string>());
        }
        var appAManifest = Assert.IsType<Schema2Manifest>(await env.Client.Manifests.GetAsync(env.Output("myproject/app-a:latest"), RegistryAccess.Anonymous));
        Assert.Equal(appAManifest.Config.Size, rebasedA.BytesUploaded);
    }

    private static async Task<string> GitRepositoryAsync(string path)
    {
        Directory.CreateDirectory(path);
        await ProcessRunner.RunCheckedAsync("git", ["-C", path, "init", "-q", "-b", "master"]);
        await WriteAsync(path, "httpd-base/Dockerfile", """
            FROM docker.io/library/httpd:2.4
            LABEL io.example.port=8080/tcp
            COPY httpd.conf /usr/local/apache2/conf/httpd.conf
            EXPOSE 8080
            CMD ["/bin/busybox", "httpd", "-f", "-p", "8080", "-h", "/var/www/html"]
            """);
        await WriteAsync(path, "httpd-base/httpd.conf", "Listen 8080\n");
        foreach (var app in new[] { "app-a", "app-b" })
        {
            await WriteAsync(path, $"{app}/Dockerfile", "FROM httpd-base:latest\nCOPY index.html /var/www/html/\n");
            await WriteAsync(path, $"{app}/index.html", $"<h1>{app}</h1>\n");
        }
        await CommitAllAsync(path, "three images");
        return path;
    }

    private static async Task CommitAsync(string repository, string file, string content)
    {
        await WriteAsync(repository, file, content);
        await CommitAllAsync(repository, "fix " + file);
    }

    private static async Task CommitAllAsync(string repository, string message)
    {
        await ProcessRunner.RunCheckedAsync("git", ["-C", repository, "add", "-A"]);
        await ProcessRunner.RunCheckedAsync("git", ["-C", repository, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", message]);
    }

    private static async Task WriteAsync(string repository, string file, string content)
    {
        var full = Path.Combine(repository, file);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        await File.WriteAllTextAsync(full, content);
    }
}
