using ImageStreams.Model.Core;
using ImageStreams.Model.Meta;
using ImageStreams.Model.Validation;

namespace ImageStreams.Resources.Strategies;

/// <summary>Namespaces: DNS-1123 label names; the phase is the server's (Active, then Terminating while it is deleted).</summary>
internal sealed class NamespaceStrategy : IResourceStrategy<Namespace>
{
    public const string Active = "Active";
    public const string Terminating = "Terminating";

    public ResourceType Type => ResourceTypes.Namespaces;

    public bool HasGeneration => false;

    public Namespace WithMetadata(Namespace obj, ObjectMeta metadata) => obj with { Metadata = metadata };

    public Namespace PrepareForCreate(Namespace obj, WriteScope scope) =>
        obj with { Status = scope == WriteScope.All && obj.Status is not null ? obj.Status : new NamespaceStatus { Phase = Active } };

    public Namespace PrepareForUpdate(Namespace obj, Namespace old, WriteScope scope) => scope switch
    {
        WriteScope.Main => obj with { Status = old.Status },
        WriteScope.Status => obj with { Spec = old.Spec },
        _ => obj,
    };

    public IReadOnlyList<FieldError> Validate(Namespace obj, Namespace? old) => Names.ValidateNamespaceName(obj.Metadata.Name);

    public Namespace Decorate(Namespace obj) => obj;
}
