using ImageStreams.Model.Meta;
using ImageStreams.Model.Security;
using ImageStreams.Model.Validation;

namespace ImageStreams.Resources.Strategies;

/// <summary>Role bindings: a ClusterRole reference to a built-in role, and subjects of a known kind.</summary>
internal sealed class RoleBindingStrategy : IResourceStrategy<RoleBinding>
{
    public ResourceType Type => ResourceTypes.RoleBindings;

    public bool HasGeneration => false;

    public RoleBinding WithMetadata(RoleBinding obj, ObjectMeta metadata) => obj with { Metadata = metadata };

    public RoleBinding PrepareForCreate(RoleBinding obj, WriteScope scope) => obj;

    public RoleBinding PrepareForUpdate(RoleBinding obj, RoleBinding old, WriteScope scope) => obj;

    public IReadOnlyList<FieldError> Validate(RoleBinding obj, RoleBinding? old) =>
        BindingRules.Validate(obj.Metadata.Name, obj.RoleRef, obj.Subjects, old?.RoleRef);

    public RoleBinding Decorate(RoleBinding obj) => obj;
}

/// <summary>Cluster role bindings: the same rules as <see cref="RoleBindingStrategy"/>, in every namespace at once.</summary>
internal sealed class ClusterRoleBindingStrategy : IResourceStrategy<ClusterRoleBinding>
{
    public ResourceType Type => ResourceTypes.ClusterRoleBindings;

    public bool HasGeneration => false;

    public ClusterRoleBinding WithMetadata(ClusterRoleBinding obj, ObjectMeta metadata) => obj with { Metadata = metadata };

    public ClusterRoleBinding PrepareForCreate(ClusterRoleBinding obj, WriteScope scope) => obj;

    public ClusterRoleBinding PrepareForUpdate(ClusterRoleBinding obj, ClusterRoleBinding old, WriteScope scope) => obj;

    public IReadOnlyList<FieldError> Validate(ClusterRoleBinding obj, ClusterRoleBinding? old) =>
        BindingRules.Validate(obj.Metadata.Name, obj.RoleRef, obj.Subjects, old?.RoleRef);

    public ClusterRoleBinding Decorate(ClusterRoleBinding obj) => obj;
}

internal static class BindingRules
{
    private static readonly string[] SubjectKinds = [Subject.UserKind, Subject.GroupKind, Subject.ServiceAccountKind];

    public static IReadOnlyList<FieldError> Validate(string? name, RoleRef? roleRef, IReadOnlyList<Subject>? subjects, RoleRef? oldRef)
    {
        var errors = new List<FieldError>(Names.ValidateSubdomainName(name));
        if (roleRef is null)
        {
            errors.Add(FieldError.MissingValue("roleRef"));
        }
        else
        {
            if (roleRef.ApiGroup is { Length: > 0 } group && group != RbacApi.Group)
            {
                errors.Add(FieldError.Invalid("roleRef.apiGroup", group, $"supported values: \"{RbacApi.Group}\""));
            }
            if (roleRef.Kind != RoleRef.ClusterRoleKind)
            {
                errors.Add(FieldError.Invalid("roleRef.kind", roleRef.Kind, $"supported values: \"{RoleRef.ClusterRoleKind}\" (the built-in roles)"));
            }
            if (roleRef.Name is null || !Roles.All.Contains(roleRef.Name))
            {
                errors.Add(FieldError.Invalid("roleRef.name", roleRef.Name, $"supported values: {string.Join(", ", Roles.All.Select(r => $"\"{r}\""))}"));
            }
            if (oldRef is not null && (oldRef.Name != roleRef.Name || oldRef.Kind != roleRef.Kind))
            {
                errors.Add(FieldError.Invalid("roleRef", roleRef.Name, "cannot change roleRef"));
            }
        }
        for (var i = 0; i < (subjects?.Count ?? 0); i++)
        {
            var subject = subjects![i];
            if (subject.Kind is null || !SubjectKinds.Contains(subject.Kind))
            {
                errors.Add(FieldError.Invalid($"subjects[{i}].kind", subject.Kind, "supported values: \"User\", \"Group\", \"ServiceAccount\""));
            }
            if (string.IsNullOrEmpty(subject.Name))
            {
                errors.Add(FieldError.MissingValue($"subjects[{i}].name"));
            }
            if (subject.Kind == Subject.ServiceAccountKind && string.IsNullOrEmpty(subject.Namespace))
            {
                errors.Add(FieldError.MissingValue($"subjects[{i}].namespace"));
            }
        }
        return errors;
    }
}
