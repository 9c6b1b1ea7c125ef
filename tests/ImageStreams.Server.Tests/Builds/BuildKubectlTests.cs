using ImageStreams.Server.Tests.Support;
using static ImageStreams.Server.Tests.Builds.BuildDocuments;

namespace ImageStreams.Server.Tests.Builds;

/// <summary>The real kubectl reads and writes BuildConfigs and builds, with oc's columns.</summary>
public class BuildKubectlTests
{
    private const string ConfigYaml = """
        apiVersion: build.openshift.io/v1
        kind: BuildConfig
        metadata:
          name: app-a
          labels:
            app: app-a
        spec:
          runPolicy: Serial
          source:
            git:
              uri: https://github.com/luszczynski/openshift-image-stream-example.git
              ref: master
            contextDir: app-a
          strategy:
            dockerStrategy:
              from:
                kind: ImageStreamTag
                name: httpd-base:latest
          output:
            to:
              kind: ImageStreamTag
              name: app-a:latest
          triggers:
          - type: ImageChange
            imageChange: {}
          - type: ConfigChange
        """;

    [Fact]
    public async Task ApplyBuildConfig_ThenGetBcAndBuilds_PrintOcsColumns()
    {
        var builder = new RecordingBuilder(gated: true);
        // kubectl sends its token over HTTPS only.
        await using var server = await TestServer.StartAsync(tls: true, services: builder.Services);
        using var kubectl = new Support.Kubectl(server);
        var file = Path.Combine(kubectl.Home, "bc.yaml");
        await File.WriteAllTextAsync(file, ConfigYaml);

        var created = (await kubectl.RunAsync("apply", "-f", file)).EnsureSuccess();
        var again = (await kubectl.RunAsync("apply", "-f", file)).EnsureSuccess();
        await File.WriteAllTextAsync(file, ConfigYaml.Replace("runPolicy: Serial", "runPolicy: Parallel", StringComparison.Ordinal));
        var configured = (await kubectl.RunAsync("apply", "-f", file)).EnsureSuccess();
        await server.CreateConfigAsync(Config("web"));
        var build = await server.StartBuildAsync("web");
        await server.WaitForPhaseAsync(build, "Running");
        var bc = (await kubectl.RunAsync("get", "bc")).EnsureSuccess();
        var builds = (await kubectl.RunAsync("get", "builds")).EnsureSuccess();
        var one = (await kubectl.RunAsync("get", "build", build, "-o", "jsonpath={.status.phase}")).EnsureSuccess();
        builder.Release();

        Assert.Equal("buildconfig.build.openshift.io/app-a created", created.StandardOutput.Trim());
        Assert.Contains("buildconfig.build.openshift.io/app-a", again.StandardOutput, StringComparison.Ordinal);
        Assert.Equal("buildconfig.build.openshift.io/app-a configured", configured.StandardOutput.Trim());
        Assert.Equal("Parallel", (await server.GetAsync($"{ConfigsPath("default")}/app-a"))["spec.runPolicy"]);
        var bcLines = bc.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^NAME\s+TYPE\s+FROM\s+LATEST$", bcLines[0]);
        // Its ConfigChange trigger started the first build when it was created.
        Assert.Matches(@"^app-a\s+Docker\s+Git@master\s+1$", bcLines[1]);
        Assert.Matches(@"^web\s+Docker\s+Dockerfile\s+1$", bcLines[2]);
        var buildLines = builds.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^NAME\s+TYPE\s+FROM\s+STATUS\s+STARTED\s+DURATION$", buildLines[0]);
        Assert.Contains(buildLines, line => System.Text.RegularExpressions.Regex.IsMatch(line, @"^web-1\s+Docker\s+Dockerfile\s+Running\s+\S.* ago\s*$"));
        Assert.Equal("Running", one.StandardOutput);
    }
}
