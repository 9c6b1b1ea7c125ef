using System.Net;
using System.Text.Json.Nodes;

namespace ImageStreams.Server.Tests.Security;

public sealed class AuthorizationTests(SecuredServer fixture) : IClassFixture<SecuredServer>
{
    private static string Streams(string ns) => $"/apis/image.openshift.io/v1/namespaces/{ns}/imagestreams";

    private static string Secrets(string ns) => $"/api/v1/namespaces/{ns}/secrets";

    [Fact]
    public async Task AViewer_ReadsStreams_ButCannotWriteThem()
    {
        var bob = await fixture.LoginAsync("bob");

        var list = await fixture.SendAsync(bob, HttpMethod.Get, Streams("team-a"));
        var create = await fixture.SendAsync(bob, HttpMethod.Post, Streams("team-a"), SecuredServer.Stream("by-bob"));

        Assert.Equal(HttpStatusCode.OK, list.Status);
        Assert.Equal(HttpStatusCode.Forbidden, create.Status);
        Assert.Equal("Forbidden", create["reason"]);
        Assert.Equal(
            "imagestreams.image.openshift.io is forbidden: User \"bob\" cannot create resource \"imagestreams\" in API group \"image.openshift.io\" in the namespace \"team-a\"",
            create["message"]);
    }

    [Fact]
    public async Task AViewer_CannotReadSecretData_WhileAnEditorCan()
    {
        var created = await fixture.Server.PostAsync(Secrets("team-a"), SecuredServer.Secret("pull-" + Guid.NewGuid().ToString("N")[..6]));
        var name = created["metadata.name"]!;
        var bob = await fixture.LoginAsync("bob");
        var alice = await fixture.LoginAsync("alice");

        var bobList = await fixture.SendAsync(bob, HttpMethod.Get, Secrets("team-a"));
        var bobGet = await fixture.SendAsync(bob, HttpMethod.Get, $"{Secrets("team-a")}/{name}");
        var bobWatch = await fixture.SendAsync(bob, HttpMethod.Get, $"{Secrets("team-a")}?watch=true");
        var aliceGet = await fixture.SendAsync(alice, HttpMethod.Get, $"{Secrets("team-a")}/{name}");

        Assert.Equal(HttpStatusCode.Created, created.Status);
        Assert.Equal(HttpStatusCode.Forbidden, bobList.Status);
        Assert.Equal(HttpStatusCode.Forbidden, bobGet.Status);
        Assert.Equal(HttpStatusCode.Forbidden, bobWatch.Status);
        Assert.DoesNotContain("aHVudGVyMg", bobGet.Text, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, aliceGet.Status);
        Assert.Equal("aHVudGVyMg==", aliceGet["data.password"]);
    }

    [Fact]
    public async Task AnEditorOfOneNamespace_CannotTouchAnother()
    {
        var alice = await fixture.LoginAsync("alice");

        var own = await fixture.SendAsync(alice, HttpMethod.Post, Streams("team-a"), SecuredServer.Stream("app-" + Guid.NewGuid().ToString("N")[..6]));
        var otherWrite = await fixture.SendAsync(alice, HttpMethod.Post, Streams("team-b"), SecuredServer.Stream("app"));
        var otherRead = await fixture.SendAsync(alice, HttpMethod.Get, Streams("team-b"));
        var otherNamespace = await fixture.SendAsync(alice, HttpMethod.Get, "/api/v1/namespaces/team-b");
        var allNamespaces = await fixture.SendAsync(alice, HttpMethod.Get, "/apis/image.openshift.io/v1/imagestreams");

        Assert.Equal(HttpStatusCode.Created, own.Status);
        Assert.Equal(HttpStatusCode.Forbidden, otherWrite.Status);
        Assert.Equal(HttpStatusCode.Forbidden, otherRead.Status);
        Assert.Equal(HttpStatusCode.Forbidden, otherNamespace.Status);
        Assert.Equal(HttpStatusCode.Forbidden, allNamespaces.Status);
    }

    [Fact]
    public async Task AnEditor_CannotGrantRoles_NorListTokens()
    {
        var alice = await fixture.LoginAsync("alice");

        var grant = await fixture.SendAsync(alice, HttpMethod.Post, "/apis/rbac.authorization.k8s.io/v1/namespaces/team-a/rolebindings", SecuredServer.Binding("admin", "alice"));
        var tokens = await fixture.SendAsync(alice, HttpMethod.Get, "/apis/oauth.openshift.io/v1/oauthaccesstokens");
        var namespaces = await fixture.SendAsync(alice, HttpMethod.Get, "/api/v1/namespaces");
        var metrics = await fixture.SendAsync(alice, HttpMethod.Get, "/metrics");

        Assert.Equal(HttpStatusCode.Forbidden, grant.Status);
        Assert.Equal(HttpStatusCode.Forbidden, tokens.Status);
        Assert.Equal(HttpStatusCode.Forbidden, namespaces.Status);
        Assert.Equal(HttpStatusCode.Forbidden, metrics.Status);
    }

    [Fact]
    public async Task TheCreatorOfANamespace_BecomesItsAdmin_AndOthersStayOut()
    {
        var carol = await fixture.LoginAsync("carol");
        var bob = await fixture.LoginAsync("bob");
        var ns = "carol-" + Guid.NewGuid().ToString("N")[..6];

        var created = await fixture.SendAsync(carol, HttpMethod.Post, "/api/v1/namespaces", new JsonObject { ["metadata"] = new JsonObject { ["name"] = ns } });
        var bindings = await fixture.SendAsync(carol, HttpMethod.Get, $"/apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/rolebindings");
        var grant = await fixture.SendAsync(carol, HttpMethod.Post, $"/apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/rolebindings", SecuredServer.Binding("view", "bob"));
        var bobReads = await fixture.SendAsync(bob, HttpMethod.Get, Streams(ns));
        var bobDeletes = await fixture.SendAsync(bob, HttpMethod.Delete, $"/api/v1/namespaces/{ns}");

        Assert.Equal(HttpStatusCode.Created, created.Status);
        Assert.Equal("admin", bindings["items[0].roleRef.name"]);
        Assert.Equal("carol", bindings["items[0].subjects[0].name"]);
        Assert.Equal(HttpStatusCode.Created, grant.Status);
        Assert.Equal(HttpStatusCode.OK, bobReads.Status);
        Assert.Equal(HttpStatusCode.Forbidden, bobDeletes.Status);
    }

    [Fact]
    public async Task AnonymousUsers_CannotCreateNamespaces()
    {
        var response = await fixture.SendAsync(null, HttpMethod.Post, "/api/v1/namespaces", new JsonObject { ["metadata"] = new JsonObject { ["name"] = "anon" } });

        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
    }

    [Fact]
    public async Task ABindingToAnUnknownRole_IsInvalid()
    {
        var response = await fixture.Server.PostAsync("/apis/rbac.authorization.k8s.io/v1/namespaces/team-a/rolebindings", SecuredServer.Binding("superuser", "bob"));

        Assert.Equal((HttpStatusCode)422, response.Status);
        Assert.Contains("roleRef.name", response["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASelfSubjectAccessReview_AnswersForTheCaller()
    {
        var bob = await fixture.LoginAsync("bob");

        var create = await Review(bob, "create");
        var get = await Review(bob, "get");

        Assert.Equal("false", create["status.allowed"]);
        Assert.Equal("true", get["status.allowed"]);
    }

    private Task<Support.ApiResponse> Review(string token, string verb) =>
        fixture.SendAsync(token, HttpMethod.Post, "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", new JsonObject
        {
            ["apiVersion"] = "authorization.k8s.io/v1",
            ["kind"] = "SelfSubjectAccessReview",
            ["spec"] = new JsonObject
            {
                ["resourceAttributes"] = new JsonObject
                {
                    ["namespace"] = "team-a", ["verb"] = verb, ["group"] = "image.openshift.io", ["resource"] = "imagestreams",
                },
            },
        });
}
