using ImageStreams.Server.Tests.Support;
using ImageStreams.Testing.Processes;

namespace ImageStreams.Server.Tests.Security;

/// <summary>The real kubectl with a user's token: it reads what the user may, prints 403s as Kubernetes' own, and answers can-i.</summary>
public sealed class KubectlAuthTests
{
    [Fact]
    public async Task Kubectl_WithAViewersToken_ReadsStreams_IsRefusedSecrets_AndAnswersCanI()
    {
        using var data = new TempDirectory("imagestreams-kubectl-auth");
        var htpasswd = await Htpasswd.WriteAsync(data.Combine("htpasswd"), ("bob", "pw"));
        await using var server = await TestServer.StartAsync(new ServerOptions { HtpasswdFile = htpasswd }, tls: true);
        await server.CreateNamespaceAsync("team-a");
        var bound = await server.PostAsync("/apis/rbac.authorization.k8s.io/v1/namespaces/team-a/rolebindings", SecuredServer.Binding("view", "bob"));
        Assert.Equal(System.Net.HttpStatusCode.Created, bound.Status);
        using var anonymous = server.ClientFor(null);
        using var login = new HttpRequestMessage(HttpMethod.Get, "/openshift/token");
        login.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", Convert.ToBase64String("bob:pw"u8.ToArray()));
        using var answer = await anonymous.SendAsync(login);
        var token = System.Text.Json.Nodes.JsonNode.Parse(await answer.Content.ReadAsStringAsync())!["token"]!.GetValue<string>();
        using var kubectl = new Support.Kubectl(server, token);

        var streams = await kubectl.RunAsync("-n", "team-a", "get", "is");
        var secrets = await kubectl.RunAsync("-n", "team-a", "get", "secrets");
        var canCreate = await kubectl.RunAsync("-n", "team-a", "auth", "can-i", "create", "imagestreams.image.openshift.io");
        var canGet = await kubectl.RunAsync("-n", "team-a", "auth", "can-i", "get", "imagestreams.image.openshift.io");
        var wrongToken = await kubectl.RunAsync("--token", "sha256~wrong", "get", "is");

        Assert.True(streams.ExitCode == 0, streams.ToString());
        Assert.Equal(1, secrets.ExitCode);
        Assert.Contains("Error from server (Forbidden): secrets is forbidden: User \"bob\" cannot list resource \"secrets\"", secrets.StandardError, StringComparison.Ordinal);
        Assert.True(canCreate.StandardOutput.Trim() == "no", canCreate.ToString());
        Assert.True(canGet.StandardOutput.Trim() == "yes", canGet.ToString());
        Assert.Equal(1, wrongToken.ExitCode);
        Assert.Contains("You must be logged in to the server", wrongToken.StandardError, StringComparison.Ordinal);
    }
}
