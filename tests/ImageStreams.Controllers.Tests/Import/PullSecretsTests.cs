using System.Text;
using ImageStreams.Model.Core;
using ImageStreams.Model.Image;
using ImageStreams.Model.Meta;
using ImageStreams.Testing.Registry;

namespace ImageStreams.Controllers.Tests.Import;

/// <summary>Every pull secret of the namespace is a candidate; the most specific registry/path match is the one offered.</summary>
public class PullSecretsTests
{
    private const string User = "robot";
    private const string Password = "right-password";

    private static Secret DockerConfig(string name, string server, string password) => new()
    {
        Metadata = new ObjectMeta { Name = name },
        Type = SecretTypes.DockerConfigJson,
        Data = new Dictionary<string, string>
        {
            [SecretTypes.DockerConfigJsonKey] = Convert.ToBase64String(Encoding.UTF8.GetBytes(
                "{\"auths\":{\"" + server + "\":{\"auth\":\"" + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{password}")) + "\"}}}")),
        },
    };

    private static ImageStreamImport Request(string from) => new()
    {
        Metadata = new ObjectMeta { Name = "app" },
        Spec = new ImageStreamImportSpec
        {
            Import = true,
            Images = [new ImageImportSpec { From = new ObjectReference { Kind = SourceKinds.DockerImage, Name = from }, To = new LocalObjectReference { Name = "v1" } }],
        },
    };

    [Fact]
    public async Task TheSecretForTheRepositoryPath_WinsOverTheOneForTheWholeRegistry_WhateverTheirOrder()
    {
        await using var h = await ImportHarness.StartAsync(registry: () => DockerRegistryPeer.StartWithBasicAuthAsync(User, Password));
        await h.PushAsync("team/app", "v1", "1", credentials: $"{User}:{Password}");
        // The registry-wide secret sorts first by name and holds a wrong password; the path secret holds the right one.
        await h.Resources.Secrets.CreateAsync(ImportHarness.Namespace, DockerConfig("a-registry", h.Registry.Host, "wrong"));
        await h.Resources.Secrets.CreateAsync(ImportHarness.Namespace, DockerConfig("b-team", $"{h.Registry.Host}/team", Password));

        var specific = await h.Importer.ImportAsync(ImportHarness.Namespace, Request($"{h.Registry.Host}/team/app:v1"));
        var general = await h.Importer.ImportAsync(ImportHarness.Namespace, Request($"{h.Registry.Host}/other/app:v1") with
        {
            Metadata = new ObjectMeta { Name = "other" },
        });

        Assert.Equal(Status.Success, Assert.Single(specific.Status!.Images!).Status.State);
        var refused = Assert.Single(general.Status!.Images!).Status;
        Assert.Equal(Status.Failure, refused.State);
        Assert.Contains("incorrect username or password", refused.Message, StringComparison.Ordinal);
    }
}
