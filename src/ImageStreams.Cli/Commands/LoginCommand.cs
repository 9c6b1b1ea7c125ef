using System.CommandLine;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using ImageStreams.Cli.Api;
using ImageStreams.Model.Meta;
using ImageStreams.Model.Security;

namespace ImageStreams.Cli.Commands;

/// <summary>
/// <c>isctl login</c>, <c>logout</c> and <c>whoami</c>, as oc has them: a login gets a token (from a user name and password,
/// or given with --token), checks it, and saves server, token and certificate authority in the config file.
/// </summary>
internal static class LoginCommand
{
    private static readonly string MePath = $"/apis/{OAuthApi.UserGroupVersion}/users/~";

    public static Command Create(CliHost host)
    {
        var server = new Argument<string?>("server") { Description = "The server URL (default: --server, $ISCTL_SERVER, the config file's)", Arity = ArgumentArity.ZeroOrOne };
        var username = new Option<string?>("--username", "-u") { Description = "A user of the server's htpasswd file" };
        var password = new Option<string?>("--password", "-p") { Description = "The user's password (default: read from standard input)" };
        var authority = new Option<string?>("--certificate-authority")
        {
            Description = "PEM file of the authority of the server's certificate, such as <data-dir>/tls/server.crt of a self-signed server",
        };
        var command = new DocumentedCommand("login", "Log in to a server and save the token in the config file.", """
            With -u/-p the server makes a token for the htpasswd user; with --token the token is checked and kept. The
            server, token and certificate authority are saved in the config file ($ISCTL_CONFIG or
            ~/.config/isctl/config.json), so later commands need no flags. A local `isctl serve` saves the admin's login
            by itself.

            Examples:
              # Log in as an htpasswd user
              isctl login https://registry.example.com:8443 -u alice -p secret

              # Log in with a token, trusting the server's self-signed certificate
              isctl login https://10.0.0.5:8443 --token sha256~... --certificate-authority ./server.crt
            """)
        {
            server, username, password, authority,
        };
        command.SetContextAction(host, (context, parse, cancellationToken) => LoginAsync(
            context, parse.GetValue(server), parse.GetValue(username), parse.GetValue(password), parse.GetValue(host.Globals.Token),
            parse.GetValue(authority), cancellationToken));
        return command;
    }

    public static Command CreateLogout(CliHost host)
    {
        var command = new DocumentedCommand("logout", "Revoke the current token and remove it from the config file.", """
            Examples:
              isctl logout
            """);
        command.SetContextAction(host, LogoutAsync);
        return command;
    }

    public static Command CreateWhoami(CliHost host)
    {
        var showToken = new Option<bool>("--show-token", "-t") { Description = "Print the current token instead of the user name" };
        var command = new DocumentedCommand("whoami", "Print the user the current token belongs to.", """
            Examples:
              isctl whoami
              # The token, for skopeo --creds "me:$(isctl whoami -t)" (the registry takes any user name beside a token)
              isctl whoami -t
            """)
        {
            showToken,
        };
        command.SetContextAction(host, async (context, parse, cancellationToken) =>
        {
            if (parse.GetValue(showToken))
            {
                context.Out.WriteLine(context.Token ?? throw new CliException("no token: log in first (isctl login)"));
                return 0;
            }
            context.Out.WriteLine(await UserNameAsync(context.Api, cancellationToken));
            return 0;
        });
        return command;
    }

    private static async Task<int> LoginAsync(
        CommandContext context, string? serverArgument, string? username, string? password, string? token, string? authority, CancellationToken cancellationToken)
    {
        var server = serverArgument is { Length: > 0 } given ? CommandContext.NormalizeServer(given) : context.Server;
        if (authority is { Length: > 0 })
        {
            authority = Path.GetFullPath(authority);
        }
        else if (context.Config.Server == server)
        {
            authority = context.Config.CertificateAuthority;
        }
        string? issued = null;
        if (username is { Length: > 0 })
        {
            password ??= (await context.Host.In.ReadLineAsync(cancellationToken))?.TrimEnd('\r', '\n');
            if (string.IsNullOrEmpty(password))
            {
                throw new CliException("a password is needed: give -p PASSWORD or write it to standard input");
            }
            using var anonymous = new ApiClient(server, null, certificateAuthority: authority);
            var basic = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{password}")));
            JsonObject answer;
            try
            {
                answer = await anonymous.GetWithAuthorizationAsync("/openshift/token", basic, cancellationToken);
            }
            catch (ApiException e) when (e.Code == 401)
            {
                throw new CliException($"login failed: the user name or password is wrong for {server}", e);
            }
            issued = answer["token"]?.GetValue<string>() ?? throw new CliException($"the server at {server} answered the login without a token");
        }
        else if (token is null)
        {
            throw new CliException("give a user with -u USER -p PASSWORD, or a token with --token TOKEN");
        }
        var chosen = issued ?? token!;
        using var client = new ApiClient(server, chosen, certificateAuthority: authority);
        string name;
        try
        {
            name = await UserNameAsync(client, cancellationToken);
        }
        catch (ApiException e) when (e.Code == 401)
        {
            throw new CliException($"login failed: the token is not valid on {server}", e);
        }
        var keepNamespace = context.Config.Server is null || context.Config.Server == server;
        (context.Config with
        {
            Server = server,
            Token = chosen,
            CertificateAuthority = authority,
            Namespace = keepNamespace ? context.Config.Namespace : null,
        }).Save(context.ConfigPath);
        context.Out.WriteLine(issued is null
            ? $"Logged into \"{server}\" as \"{name}\" using the token provided."
            : $"Login successful: logged into \"{server}\" as \"{name}\".");
        return 0;
    }

    private static async Task<int> LogoutAsync(CommandContext context, ParseResult parse, CancellationToken cancellationToken)
    {
        var token = context.Token ?? throw new CliException("not logged in: there is no token to revoke");
        var name = await UserNameAsync(context.Api, cancellationToken);
        await context.Api.DeleteAsync(
            ResourcePaths.Item(ResourceTypes.OAuthAccessTokens, null, OAuthApi.TokenObjectName(token)), cancellationToken);
        if (context.Config.Token == token)
        {
            (context.Config with { Token = null }).Save(context.ConfigPath);
        }
        context.Out.WriteLine($"Logged \"{name}\" out on \"{context.Server}\"");
        return 0;
    }

    private static async Task<string> UserNameAsync(ApiClient client, CancellationToken cancellationToken)
    {
        var me = await client.GetAsync(MePath, cancellationToken);
        return me["metadata"]?["name"]?.GetValue<string>() ?? throw new CliException("the server did not say who the token belongs to");
    }
}
