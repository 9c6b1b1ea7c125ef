using System.CommandLine;
using System.Text;
using System.Text.Json.Nodes;
using ImageStreams.Cli.Api;
using ImageStreams.Model.Core;
using ImageStreams.Model.Meta;
using ImageStreams.Model.Validation;

namespace ImageStreams.Cli.Commands;

/// <summary>
/// <c>isctl create secret docker-registry|generic NAME</c>: a secret from flags, as kubectl makes them. Imports, scheduled
/// imports and pull-through use every docker-registry secret of the namespace, the most specific registry match first.
/// </summary>
internal static class CreateSecretCommand
{
    public static Command Create(CliHost host)
    {
        var command = new DocumentedCommand("secret", "Create a secret: registry credentials (docker-registry) or any values (generic).", """
            Secrets are stored encrypted by the server. Every kubernetes.io/dockerconfigjson secret of a namespace is
            offered to the registries its imports and pull-through reach; the most specific match (registry and path
            before registry alone) wins.

            Examples:
              isctl create secret docker-registry quay --docker-server=quay.io --docker-username=robot --docker-password=TOKEN
              isctl create secret generic settings --from-literal=mode=fast --from-literal=level=3
            """)
        {
            DockerRegistry(host),
            Generic(host),
        };
        return command;
    }

    private static Command DockerRegistry(CliHost host)
    {
        var name = NameArgument();
        var server = new Option<string>("--docker-server")
        {
            Description = "The registry, as images name it: host[:port] or host[:port]/path (the default is Docker Hub)",
            DefaultValueFactory = _ => "https://index.docker.io/v1/",
        };
        var username = new Option<string>("--docker-username") { Description = "User name for the registry", Required = true };
        var password = new Option<string>("--docker-password") { Description = "Password or token for the registry", Required = true };
        var email = new Option<string?>("--docker-email") { Description = "Email for the registry (kept, not used)" };
        var command = new DocumentedCommand("docker-registry", "Create a kubernetes.io/dockerconfigjson secret for a registry.", """
            Examples:
              # Credentials for one registry
              isctl create secret docker-registry quay --docker-server=quay.io --docker-username=robot --docker-password=TOKEN

              # Credentials for one organization of a registry: chosen over the registry-wide secret for its images
              isctl create secret docker-registry team --docker-server=quay.io/team --docker-username=u --docker-password=p
            """)
        {
            name, server, username, password, email,
        };
        command.SetContextAction(host, (context, parse, cancellationToken) =>
        {
            var user = parse.GetValue(username)!;
            var secret = parse.GetValue(password)!;
            var registry = parse.GetValue(server)!.Trim();
            if (registry.Length == 0 || registry.Any(char.IsWhiteSpace))
            {
                throw new CliException($"--docker-server must be a registry such as quay.io or quay.io/team (got \"{registry}\")");
            }
            if (user.Length == 0 || user.Contains(':', StringComparison.Ordinal))
            {
                throw new CliException("--docker-username must not be empty or contain ':'");
            }
            var entry = new JsonObject
            {
                ["username"] = user,
                ["password"] = secret,
                ["auth"] = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{secret}")),
            };
            if (parse.GetValue(email) is { Length: > 0 } mail)
            {
                entry["email"] = mail;
            }
            var config = new JsonObject { ["auths"] = new JsonObject { [registry] = entry } };
            return CreateAsync(context, parse.GetValue(name)!, SecretTypes.DockerConfigJson,
                new Dictionary<string, byte[]> { [SecretTypes.DockerConfigJsonKey] = Encoding.UTF8.GetBytes(config.ToJsonString()) }, cancellationToken);
        });
        return command;
    }

    private static Command Generic(CliHost host)
    {
        var name = NameArgument();
        var literals = new Option<string[]>("--from-literal")
        {
            Description = "A key and its value, key=value (repeat for more)",
            AllowMultipleArgumentsPerToken = false,
        };
        var type = new Option<string?>("--type") { Description = "The secret's type (default Opaque)" };
        var command = new DocumentedCommand("generic", "Create a secret from literal values.", """
            Examples:
              isctl create secret generic settings --from-literal=mode=fast --from-literal=level=3
            """)
        {
            name, literals, type,
        };
        command.SetContextAction(host, (context, parse, cancellationToken) =>
        {
            var data = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            foreach (var literal in parse.GetValue(literals) ?? [])
            {
                var equals = literal.IndexOf('=', StringComparison.Ordinal);
                if (equals <= 0)
                {
                    throw new CliException($"--from-literal must be key=value (got \"{literal.Split('=')[0]}...\")");
                }
                var key = literal[..equals];
                if (!data.TryAdd(key, Encoding.UTF8.GetBytes(literal[(equals + 1)..])))
                {
                    throw new CliException($"--from-literal: key \"{key}\" is given twice");
                }
            }
            return CreateAsync(context, parse.GetValue(name)!, parse.GetValue(type) is { Length: > 0 } t ? t : SecretTypes.Opaque, data, cancellationToken);
        });
        return command;
    }

    private static Argument<string> NameArgument() => new("name") { Description = "The secret's name" };

    private static async Task<int> CreateAsync(
        CommandContext context, string name, string type, Dictionary<string, byte[]> data, CancellationToken cancellationToken)
    {
        var invalid = Names.ValidateSubdomainName(name);
        if (invalid.Count > 0)
        {
            throw new CliException($"invalid secret name \"{name}\": {invalid[0].Detail}");
        }
        var body = new JsonObject
        {
            ["apiVersion"] = CoreApi.GroupVersion,
            ["kind"] = Secret.KindName,
            ["metadata"] = new JsonObject { ["name"] = name },
            ["type"] = type,
            ["data"] = new JsonObject(data.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)Convert.ToBase64String(kv.Value)))),
        };
        await context.Api.CreateAsync(ResourcePaths.Collection(ResourceTypes.Secrets, context.Namespace), body, cancellationToken);
        context.Out.WriteLine($"secret/{name} created");
        return 0;
    }
}
