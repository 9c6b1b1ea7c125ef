using System.Text.Json.Nodes;
using ImageStreams.Cli.Resources;
using ImageStreams.Model.Meta;
using ImageStreams.Model.Serialization;

namespace ImageStreams.Cli.Tests.Resources;

public class ApplyPlanTests
{
    private const string FileText = """
        apiVersion: image.openshift.io/v1
        kind: ImageStream
        metadata:
          name: rhel7
          namespace: p
          uid: c5f28e85
          resourceVersion: "55223044"
          selfLink: /apis/image.openshift.io/v1/namespaces/p/imagestreams/rhel7
          creationTimestamp: 2019-04-15T12:05:34Z
          generation: 1
          labels: {app: base}
        spec:
          tags:
          - name: latest
            annotations: null
            from: {kind: DockerImage, name: registry.access.redhat.com/rhel7:latest}
            importPolicy: {scheduled: true}
        status:
          dockerImageRepository: elsewhere/p/rhel7
        """;

    private const string Server = """
        {"apiVersion":"image.openshift.io/v1","kind":"ImageStream",
         "metadata":{"name":"rhel7","namespace":"p","uid":"1","resourceVersion":"7","generation":1,
                     "creationTimestamp":"2024-01-10T10:00:00Z","labels":{"app":"base"},
                     "annotations":{"openshift.io/image.dockerRepositoryCheck":"2024-01-10T10:00:00Z"}},
         "spec":{"lookupPolicy":{"local":false},
                 "tags":[{"name":"latest","from":{"kind":"DockerImage","name":"registry.access.redhat.com/rhel7:latest"},
                          "generation":1,"importPolicy":{"scheduled":true,"importMode":"Legacy"},"referencePolicy":{"type":"Source"}}]},
         "status":{"dockerImageRepository":"127.0.0.1:8080/p/rhel7"}}
        """;

    [Fact]
    public void Desired_DropsWhatTheServerOwns()
    {
        var desired = ApplyPlan.Desired(Manifest(), "p");

        var metadata = desired["metadata"]!.AsObject();
        Assert.Equal(["name", "namespace", "labels"], metadata.Select(p => p.Key));
        Assert.Null(desired["status"]);
    }

    [Fact]
    public void Desired_PutsTheObjectInTheTargetNamespace() =>
        Assert.Equal("team-a", ApplyPlan.Desired(Manifest(), "team-a")["metadata"]!["namespace"]!.GetValue<string>());

    [Fact]
    public void AnObjectWhoseFieldsAllMatch_IsUnchanged_DespiteServerDefaults() =>
        Assert.True(ApplyPlan.IsUnchanged(ApplyPlan.Desired(Manifest(), "p"), Current()));

    [Fact]
    public void AChangedValue_MakesItChanged()
    {
        var desired = ApplyPlan.Desired(Manifest(FileText.Replace("scheduled: true", "scheduled: false", StringComparison.Ordinal)), "p");

        Assert.False(ApplyPlan.IsUnchanged(desired, Current()));
    }

    [Fact]
    public void ARemovedLabel_MakesItChanged()
    {
        var desired = ApplyPlan.Desired(Manifest(FileText.Replace("labels: {app: base}", "labels: {}", StringComparison.Ordinal)), "p");

        Assert.False(ApplyPlan.IsUnchanged(desired, Current()));
    }

    [Fact]
    public void ARemovedTag_MakesItChanged()
    {
        var current = Current();
        current["spec"]!["tags"]!.AsArray().Add(JsonNode.Parse("""{"name":"old"}"""));

        Assert.False(ApplyPlan.IsUnchanged(ApplyPlan.Desired(Manifest(), "p"), current));
    }

    [Fact]
    public void ForUpdate_TakesTheServersResourceVersionAndKeepsItsAnnotations()
    {
        var update = ApplyPlan.ForUpdate(ApplyPlan.Desired(Manifest(), "p"), Current());

        Assert.Equal("7", update["metadata"]!["resourceVersion"]!.GetValue<string>());
        Assert.Equal("2024-01-10T10:00:00Z", update["metadata"]!["annotations"]!["openshift.io/image.dockerRepositoryCheck"]!.GetValue<string>());
        Assert.True(update["spec"]!["tags"]![0]!["importPolicy"]!["scheduled"]!.GetValue<bool>());
    }

    private static Manifest Manifest(string text = FileText) =>
        new("rhel7.yaml", ResourceTypes.ImageStreams, Yaml.ParseDocuments(text).Single().AsObject());

    private static JsonObject Current() => JsonNode.Parse(Server)!.AsObject();
}
