using ImageStreams.Model.Serialization;

namespace ImageStreams.Cli.Tests.EndToEnd;

/// <summary>Stored workloads through isctl: get by short name, and describe is naming the workloads a tag triggers.</summary>
[Collection(ServerCollection.Name)]
public sealed class WorkloadTests(ServerFixture server) : IDisposable
{
    private const string Triggers = """[{"from":{"kind":"ImageStreamTag","name":"web:latest"},"fieldPath":"spec.template.spec.containers[?(@.name==\"web\")].image"}]""";

    private const string PausedTriggers = """[{"from":{"kind":"ImageStreamTag","name":"web:latest"},"fieldPath":"spec.jobTemplate.spec.template.spec.containers[0].image","paused":true}]""";

    private readonly CliRunner cli = new(server.Address, server.Token);

    public void Dispose() => cli.Dispose();

    [Fact]
    public async Task GetDeployAsYaml_AndDescribeIs_ShowTheWorkloadAndWhatItFollows()
    {
        var ns = ServerFixture.UniqueNamespace("workloads");
        Assert.Equal(0, (await cli.RunAsync("new-project", ns)).ExitCode);
        var file = cli.WriteFile("workloads.yaml", GetTests.Stream("web", "latest") + $"""
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: app
              annotations:
                image.openshift.io/triggers: '{Triggers}'
            spec:
              template:
                spec:
                  containers:
                  - name: web
                    image: placeholder
            ---
            apiVersion: batch/v1
            kind: CronJob
            metadata:
              name: nightly
              annotations:
                image.openshift.io/triggers: '{PausedTriggers}'
            spec:
              schedule: "0 3 * * *"
            """);
        var applied = await cli.RunAsync("apply", "-n", ns, "-f", file);
        Assert.True(applied.ExitCode == 0, applied.ToString());

        var yaml = await cli.RunAsync("get", "deploy", "app", "-n", ns, "-o", "yaml");
        var describe = await cli.RunAsync("describe", "is", "web", "-n", ns);

        Assert.Contains("deployment.apps/app created", applied.Out, StringComparison.Ordinal);
        Assert.Contains("cronjob.batch/nightly created", applied.Out, StringComparison.Ordinal);
        Assert.True(yaml.ExitCode == 0, yaml.ToString());
        var deployment = Yaml.ParseDocuments(yaml.Out).Single();
        Assert.Equal("Deployment", deployment["kind"]!.GetValue<string>());
        Assert.Equal(Triggers, deployment["metadata"]!["annotations"]!["image.openshift.io/triggers"]!.GetValue<string>());
        Assert.Equal("web", deployment["spec"]!["template"]!["spec"]!["containers"]![0]!["name"]!.GetValue<string>());
        Assert.True(describe.ExitCode == 0, describe.ToString());
        Assert.Contains("triggers cronjob/nightly (paused), deployment/app", describe.Out, StringComparison.Ordinal);
    }
}
