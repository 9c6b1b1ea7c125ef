using System.CommandLine;
using System.Text.Json.Nodes;
using ImageStreams.Cli.Api;
using ImageStreams.Model.Meta;
using ImageStreams.Model.Security;
using ImageStreams.Model.Serialization;

namespace ImageStreams.Cli.Commands;

/// <summary>
/// <c>isctl policy add-role-to-user|remove-role-from-user|add-role-to-group|remove-role-from-group ROLE NAME... -n NS</c>:
/// role bindings as oc manages them, one binding per role named after it.
/// </summary>
internal static class PolicyCommand
{
    public static Command Create(CliHost host)
    {
        var command = new DocumentedCommand("policy", "Grant and revoke roles in a namespace.", """
            Roles: view (read everything but secrets, pull images), edit (also write, push images, read and write
            secrets), admin (also role bindings and the namespace), cluster-admin. The creator of a project is its admin.

            Examples:
              isctl policy add-role-to-user edit alice -n team-a
              isctl policy add-role-to-user view bob carol -n team-a
              isctl policy remove-role-from-user edit alice -n team-a
              # Anyone may pull from team-a, without logging in
              isctl policy add-role-to-group view system:unauthenticated -n team-a
            """);
        command.Subcommands.Add(Verb(host, "add-role-to-user", "Grant a role to users in the namespace.", Subject.UserKind, add: true));
        command.Subcommands.Add(Verb(host, "remove-role-from-user", "Revoke a role from users in the namespace.", Subject.UserKind, add: false));
        command.Subcommands.Add(Verb(host, "add-role-to-group", "Grant a role to groups in the namespace.", Subject.GroupKind, add: true));
        command.Subcommands.Add(Verb(host, "remove-role-from-group", "Revoke a role from groups in the namespace.", Subject.GroupKind, add: false));
        return command;
    }

    private static Command Verb(CliHost host, string name, string description, string kind, bool add)
    {
        var role = new Argument<string>("role") { Description = "view, edit, admin or cluster-admin" };
        var subjects = new Argument<string[]>("names") { Description = $"The {kind.ToLowerInvariant()} names", Arity = ArgumentArity.OneOrMore };
        var command = new DocumentedCommand(name, description, $"""
            Examples:
              isctl policy {name} edit {(kind == Subject.UserKind ? "alice" : "developers")} -n team-a
            """)
        {
            role, subjects,
        };
        command.SetContextAction(host, (context, parse, cancellationToken) => add
            ? AddAsync(context, parse.GetValue(role)!, kind, parse.GetValue(subjects)!, cancellationToken)
            : RemoveAsync(context, parse.GetValue(role)!, kind, parse.GetValue(subjects)!, cancellationToken));
        return command;
    }

    private static async Task<int> AddAsync(CommandContext context, string role, string kind, string[] names, CancellationToken cancellationToken)
    {
        var bindings = await ListAsync(context, cancellationToken);
        var binding = bindings.FirstOrDefault(b => b.Metadata.Name == role && b.RoleRef?.Name == role);
        var wanted = names.Select(n => new Subject { Kind = kind, ApiGroup = RbacApi.Group, Name = n }).ToList();
        if (binding is null)
        {
            var created = new RoleBinding
            {
                Metadata = new ObjectMeta { Name = role, Namespace = context.Namespace },
                RoleRef = new RoleRef { Name = role },
                Subjects = wanted,
            };
            await context.Api.CreateAsync(ResourcePaths.Collection(ResourceTypes.RoleBindings, context.Namespace), ResourceJson.ToNode(created), cancellationToken);
        }
        else
        {
            var subjects = (binding.Subjects ?? []).ToList();
            subjects.AddRange(wanted.Where(w => !subjects.Any(s => s.Kind == kind && s.Name == w.Name)));
            await context.Api.ReplaceAsync(
                ResourcePaths.Item(ResourceTypes.RoleBindings, context.Namespace, role), ResourceJson.ToNode(binding with { Subjects = subjects }), cancellationToken);
        }
        context.Out.WriteLine($"clusterrole.rbac.authorization.k8s.io/{role} added: {Quoted(names)}");
        return 0;
    }

    private static async Task<int> RemoveAsync(CommandContext context, string role, string kind, string[] names, CancellationToken cancellationToken)
    {
        var removed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var binding in await ListAsync(context, cancellationToken))
        {
            if (binding.RoleRef?.Name != role || binding.Subjects is null)
            {
                continue;
            }
            var kept = binding.Subjects.Where(s => !(s.Kind == kind && s.Name is not null && names.Contains(s.Name))).ToList();
            if (kept.Count == binding.Subjects.Count)
            {
                continue;
            }
            removed.UnionWith(binding.Subjects.Where(s => !kept.Contains(s)).Select(s => s.Name!));
            var path = ResourcePaths.Item(ResourceTypes.RoleBindings, context.Namespace, binding.Metadata.Name!);
            if (kept.Count == 0)
            {
                await context.Api.DeleteAsync(path, cancellationToken);
            }
            else
            {
                await context.Api.ReplaceAsync(path, ResourceJson.ToNode(binding with { Subjects = kept }), cancellationToken);
            }
        }
        var missing = names.Where(n => !removed.Contains(n)).ToList();
        if (missing.Count > 0)
        {
            throw new CliException($"role \"{role}\" is not bound to {kind.ToLowerInvariant()} {Quoted(missing)} in namespace \"{context.Namespace}\"");
        }
        context.Out.WriteLine($"clusterrole.rbac.authorization.k8s.io/{role} removed: {Quoted(names)}");
        return 0;
    }

    private static async Task<IReadOnlyList<RoleBinding>> ListAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var list = await context.Api.GetAsync(ResourcePaths.Collection(ResourceTypes.RoleBindings, context.Namespace), cancellationToken);
        return (list["items"] as JsonArray ?? []).OfType<JsonObject>().Select(ResourceJson.FromNode<RoleBinding>).ToList();
    }

    private static string Quoted(IEnumerable<string> names) => string.Join(", ", names.Select(n => $"\"{n}\""));
}
