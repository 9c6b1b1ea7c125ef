using System.Net;
using System.Text.Json.Nodes;
using ImageStreams.Cli.Config;
using ImageStreams.Server;
using ImageStreams.Testing.Http;
using ImageStreams.Testing.Processes;

namespace ImageStreams.Cli.Tests.EndToEnd;

/// <summary>login, logout, whoami and policy against a server with htpasswd users alice and bob.</summary>
public sealed class LoginTests : IAsyncLifetime
{
    private const string Password = "pw of alice";

    private readonly TempDirectory data = new("isctl-login");
    private ImageStreamsServer server = null!;

    private string Address => server.BaseAddress.ToString().TrimEnd('/');

    public async Task InitializeAsync()
    {
        var htpasswd = await Htpasswd.WriteAsync(data.Combine("htpasswd"), ("alice", Password), ("bob", Password));
        server = await ImageStreamsServer.StartAsync(new ServerOptions { Listen = "127.0.0.1:0", DataDir = data.Combine("data"), HtpasswdFile = htpasswd });
    }

    public async Task DisposeAsync()
    {
        await server.DisposeAsync();
        data.Dispose();
    }

    [Fact]
    public async Task LoginWithAPassword_SavesATokenInTheConfig_AndWhoamiNamesTheUser()
    {
        using var cli = new CliRunner(Address);

        var login = await cli.RunAsync("login", Address, "-u", "alice", "-p", Password);
        var whoami = await cli.RunAsync("whoami");
        var token = await cli.RunAsync("whoami", "-t");

        Assert.True(login.ExitCode == 0, login.ToString());
        Assert.Equal($"Login successful: logged into \"{Address}\" as \"alice\".\n", login.Out);
        Assert.Equal("alice\n", whoami.Out);
        var saved = CliConfig.Load(cli.ConfigPath);
        Assert.Equal(Address, saved.Server);
        Assert.StartsWith("sha256~", saved.Token, StringComparison.Ordinal);
        Assert.Equal(saved.Token + "\n", token.Out);
    }

    [Fact]
    public async Task LoginWithAWrongPassword_FailsWithOneLine_AndSavesNothing()
    {
        using var cli = new CliRunner(Address);

        var result = await cli.RunAsync("login", Address, "-u", "alice", "-p", "wrong");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"error: login failed: the user name or password is wrong for {Address}\n", result.Error);
        Assert.False(File.Exists(cli.ConfigPath));
    }

    [Fact]
    public async Task LoginWithAToken_ChecksIt_AndABadTokenIsRefused()
    {
        using var cli = new CliRunner(Address);

        var admin = await cli.RunAsync("login", "--token", server.AdminToken);
        var bad = await cli.RunAsync("login", "--token", "sha256~made-up");
        var nothing = await cli.RunAsync("login");

        Assert.Equal($"Logged into \"{Address}\" as \"system:admin\" using the token provided.\n", admin.Out);
        Assert.Equal(1, bad.ExitCode);
        Assert.Equal($"error: login failed: the token is not valid on {Address}\n", bad.Error);
        Assert.Equal(server.AdminToken, CliConfig.Load(cli.ConfigPath).Token);
        Assert.Equal("error: give a user with -u USER -p PASSWORD, or a token with --token TOKEN\n", nothing.Error);
    }

    [Fact]
    public async Task Logout_RevokesTheToken_AndRemovesItFromTheConfig()
    {
        using var cli = new CliRunner(Address);
        Assert.Equal(0, (await cli.RunAsync("login", "-u", "bob", "-p", Password)).ExitCode);
        var token = CliConfig.Load(cli.ConfigPath).Token!;

        var logout = await cli.RunAsync("logout");
        using var stale = new CliRunner(Address, token);
        var afterwards = await stale.RunAsync("whoami");
        var again = await cli.RunAsync("logout");

        Assert.Equal($"Logged \"bob\" out on \"{Address}\"\n", logout.Out);
        Assert.Null(CliConfig.Load(cli.ConfigPath).Token);
        Assert.Equal(1, afterwards.ExitCode);
        Assert.StartsWith("Error from server (Unauthorized)", afterwards.Error, StringComparison.Ordinal);
        Assert.Equal("error: not logged in: there is no token to revoke\n", again.Error);
    }

    [Fact]
    public async Task Policy_GrantsAndRevokesRoles_WhichTheServerThenEnforces()
    {
        using var admin = new CliRunner(Address, server.AdminToken);
        using var alice = new CliRunner(Address);
        Assert.Equal(0, (await alice.RunAsync("login", "-u", "alice", "-p", Password)).ExitCode);
        Assert.Equal(0, (await admin.RunAsync("new-project", "policy-test")).ExitCode);

        var before = await alice.RunAsync("get", "is", "-n", "policy-test");
        var add = await admin.RunAsync("policy", "add-role-to-user", "edit", "alice", "-n", "policy-test");
        var during = await alice.RunAsync("get", "is", "-n", "policy-test");
        var remove = await admin.RunAsync("policy", "remove-role-from-user", "edit", "alice", "-n", "policy-test");
        var after = await alice.RunAsync("get", "is", "-n", "policy-test");
        var notBound = await admin.RunAsync("policy", "remove-role-from-user", "view", "bob", "-n", "policy-test");
        var unknownRole = await admin.RunAsync("policy", "add-role-to-user", "owner", "bob", "-n", "policy-test");

        Assert.Equal(1, before.ExitCode);
        Assert.Equal(
            "Error from server (Forbidden): imagestreams.image.openshift.io is forbidden: User \"alice\" cannot list resource \"imagestreams\" in API group \"image.openshift.io\" in the namespace \"policy-test\"\n",
            before.Error);
        Assert.Equal("clusterrole.rbac.authorization.k8s.io/edit added: \"alice\"\n", add.Out);
        Assert.True(during.ExitCode == 0, during.ToString());
        Assert.Equal("clusterrole.rbac.authorization.k8s.io/edit removed: \"alice\"\n", remove.Out);
        Assert.Equal(1, after.ExitCode);
        Assert.Equal("error: role \"view\" is not bound to user \"bob\" in namespace \"policy-test\"\n", notBound.Error);
        Assert.Equal(1, unknownRole.ExitCode);
        Assert.StartsWith("Error from server (Invalid)", unknownRole.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ANewProject_MakesItsCreatorTheAdmin()
    {
        using var alice = new CliRunner(Address);
        Assert.Equal(0, (await alice.RunAsync("login", "-u", "alice", "-p", Password)).ExitCode);

        var created = await alice.RunAsync("new-project", "alices");
        var granted = await alice.RunAsync("policy", "add-role-to-user", "view", "bob", "-n", "alices");

        Assert.True(created.ExitCode == 0, created.ToString());
        Assert.True(granted.ExitCode == 0, granted.ToString());
    }
}

/// <summary>The quickstart (a local serve saves the admin's login) and logins over TLS.</summary>
public sealed class ServeLoginTests : IDisposable
{
    private readonly CliRunner cli = new("http://127.0.0.1:1");

    public void Dispose() => cli.Dispose();

    [Fact]
    public async Task Serve_SavesTheAdminsLogin_SoTheNextCommandJustWorks()
    {
        cli.Environment.Remove("ISCTL_SERVER");
        var data = Path.Combine(cli.Directory, "data");
        await using var serve = cli.Start("serve", "--listen", "127.0.0.1:0", "--data-dir", data);
        await serve.WaitForOutputAsync("isctl: logged in as system:admin");

        var get = await cli.RunAsync("get", "is");
        var whoami = await cli.RunAsync("whoami");

        Assert.True(get.ExitCode == 0, get.ToString());
        Assert.Equal("system:admin\n", whoami.Out);
        Assert.Equal((await File.ReadAllTextAsync(Path.Combine(data, "admin.token"))).Trim(), CliConfig.Load(cli.ConfigPath).Token);
    }

    [Fact]
    public async Task ServeWithTls_SavesTheSelfSignedAuthority_SoTheNextCommandTrustsIt()
    {
        cli.Environment.Remove("ISCTL_SERVER");
        var data = Path.Combine(cli.Directory, "data");
        await using var serve = cli.Start("serve", "--listen", "127.0.0.1:0", "--data-dir", data, "--tls");
        await serve.WaitForOutputAsync("isctl: logged in as system:admin");

        var get = await cli.RunAsync("get", "is");
        var config = CliConfig.Load(cli.ConfigPath);

        Assert.True(get.ExitCode == 0, get.ToString());
        Assert.StartsWith("https://127.0.0.1:", config.Server, StringComparison.Ordinal);
        Assert.Equal(Path.Combine(data, "tls", "server.crt"), config.CertificateAuthority);
        Assert.Contains($"--certificate-authority={Path.Combine(data, "tls", "server.crt")}", serve.Snapshot().Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--htpasswd-file", "/nonexistent/htpasswd", "error: --htpasswd-file: no file \"/nonexistent/htpasswd\"\n")]
    [InlineData("--tls-cert-file", "/nonexistent/server.crt", "error: --tls-cert-file and --tls-private-key-file go together: give both or neither\n")]
    public async Task Serve_WithBadSecurityOptions_RefusesToStart_WithOneLine(string flag, string value, string error)
    {
        var result = await cli.RunAsync("serve", "--listen", "127.0.0.1:0", "--data-dir", Path.Combine(cli.Directory, "data"), flag, value);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(error, result.Error);
    }

    [Fact]
    public async Task Serve_LeavesALoginToAnotherServerAlone()
    {
        var other = new CliConfig { Server = "https://elsewhere.example:8443", Token = "sha256~theirs" };
        other.Save(cli.ConfigPath);

        await using var serve = cli.Start("serve", "--listen", "127.0.0.1:0", "--data-dir", Path.Combine(cli.Directory, "data"));
        await serve.WaitForOutputAsync("holds a login to https://elsewhere.example:8443");

        Assert.Equal(other, CliConfig.Load(cli.ConfigPath));
    }

    [Fact]
    public async Task LoginOverTls_TrustsTheGivenAuthority_AndWithoutItSaysTheCertificateIsNotTrusted()
    {
        using var certificates = new TestCertificates();
        var authority = Path.Combine(cli.Directory, "ca.crt");
        certificates.WriteAuthorityPem(authority);
        certificates.WriteServerPem(IPAddress.Loopback, Path.Combine(cli.Directory, "server.crt"), Path.Combine(cli.Directory, "server.key"));
        await using var server = await ImageStreamsServer.StartAsync(new ServerOptions
        {
            Listen = "127.0.0.1:0",
            DataDir = Path.Combine(cli.Directory, "tls-data"),
            TlsCertFile = Path.Combine(cli.Directory, "server.crt"),
            TlsPrivateKeyFile = Path.Combine(cli.Directory, "server.key"),
        });
        var address = server.BaseAddress.ToString().TrimEnd('/');
        cli.Environment.Remove("ISCTL_SERVER");

        var untrusted = await cli.RunAsync("login", address, "--token", server.AdminToken);
        var trusted = await cli.RunAsync("login", address, "--token", server.AdminToken, "--certificate-authority", authority);
        var get = await cli.RunAsync("get", "ns", "default");

        Assert.StartsWith("https://", address, StringComparison.Ordinal);
        Assert.Equal(1, untrusted.ExitCode);
        Assert.Equal(
            $"error: cannot reach the server at {address}: the server's certificate is not trusted (give its authority with isctl login --certificate-authority=FILE)\n",
            untrusted.Error);
        Assert.True(trusted.ExitCode == 0, trusted.ToString());
        Assert.Equal(authority, CliConfig.Load(cli.ConfigPath).CertificateAuthority);
        Assert.True(get.ExitCode == 0, get.ToString());
    }
}
