using System.Text.Json.Nodes;
using ImageStreams.Model.Core;
using ImageStreams.Model.Meta;
using ImageStreams.Model.Security;
using ImageStreams.Model.Serialization;
using ImageStreams.Resources;
using ImageStreams.Resources.Storage;
using ImageStreams.Server.Api;
using Microsoft.AspNetCore.Http;

namespace ImageStreams.Server.Security;

/// <summary>The caller of the request being served, as the authorizer found it.</summary>
internal sealed class CurrentUser(IHttpContextAccessor accessor)
{
    public Authentication Get() =>
        accessor.HttpContext?.Features.Get<Authentication>() ?? Authentication.Anonymous;
}

/// <summary><c>users/~</c>: who the caller is (what <c>oc whoami</c> and <c>isctl whoami</c> ask).</summary>
internal sealed class UserHandler(CurrentUser current) : IResourceHandler
{
    public const string Me = "~";

    public ResourceType Type => ResourceTypes.Users;

    public ValueTask<JsonObject> GetAsync(string? ns, string name, CancellationToken cancellationToken = default)
    {
        var user = current.Get().User;
        if (name != Me && name != user.Name)
        {
            throw ApiErrors.NotFound(Type.GroupResource, name);
        }
        return ValueTask.FromResult(ResourceJson.ToNode(new User { Metadata = new ObjectMeta { Name = user.Name }, Groups = user.Groups }));
    }
}

/// <summary><c>selfsubjectaccessreviews</c>: "may I?" for the caller, so <c>kubectl auth can-i</c> works.</summary>
internal sealed class SelfSubjectAccessReviewHandler(CurrentUser current, RbacAuthorizer authorizer) : IResourceHandler
{
    public ResourceType Type => ResourceTypes.SelfSubjectAccessReviews;

    public async ValueTask<JsonObject> CreateAsync(string? ns, JsonObject body, WriteOptions options, CancellationToken cancellationToken = default)
    {
        var review = ResourceBodies.Decode<SelfSubjectAccessReview>(Type, body, options.StrictFields);
        var request = review.Spec switch
        {
            { ResourceAttributes: { } r } => new ApiRequestInfo
            {
                Path = "",
                IsResourceRequest = true,
                Verb = r.Verb ?? "",
                ApiGroup = r.Group ?? "",
                ApiVersion = r.Version ?? "",
                Namespace = r.Namespace ?? "",
                Resource = r.Resource ?? "",
                Subresource = r.Subresource ?? "",
                Name = r.Name ?? "",
            },
            { NonResourceAttributes: { } n } => new ApiRequestInfo { Path = n.Path ?? "", Verb = n.Verb ?? "" },
            _ => throw ApiErrors.Invalid(Type.Kind, Type.Group, "", [Model.Validation.FieldError.MissingValue("spec.resourceAttributes")]),
        };
        var caller = current.Get();
        var (allowed, _) = await authorizer.DecideAsync(caller.User, caller.Token, request, cancellationToken).ConfigureAwait(false);
        return ResourceJson.ToNode(review with
        {
            // Kubernetes gives no reason for a refusal (kubectl then prints a plain "no").
            Status = new SubjectAccessReviewStatus { Allowed = allowed, Reason = allowed ? "allowed by a role binding" : null },
        });
    }
}

/// <summary>
/// Namespaces, served as usual, except that whoever creates one becomes its admin (a role binding named
/// <c>admin</c> in it), as OpenShift does for <c>oc new-project</c>.
/// </summary>
internal sealed class ProjectHandler(ResourceSet resources, CurrentUser current) : IResourceHandler
{
    private readonly ResourceHandler<Namespace> inner = new(resources.Namespaces);

    public ResourceType Type => ResourceTypes.Namespaces;

    public ValueTask<JsonObject> GetAsync(string? ns, string name, CancellationToken cancellationToken = default) =>
        inner.GetAsync(ns, name, cancellationToken);

    public ValueTask<JsonObject> ListAsync(string? ns, ListOptions options, CancellationToken cancellationToken = default) =>
        inner.ListAsync(ns, options, cancellationToken);

    public async ValueTask<JsonObject> CreateAsync(string? ns, JsonObject body, WriteOptions options, CancellationToken cancellationToken = default)
    {
        var created = await inner.CreateAsync(ns, body, options, cancellationToken).ConfigureAwait(false);
        var user = current.Get().User;
        if (!options.DryRun && !user.IsAnonymous && created["metadata"]?["name"]?.GetValue<string>() is { } name)
        {
            await resources.RoleBindings.CreateAsync(name, new RoleBinding
            {
                Metadata = new ObjectMeta { Name = Roles.Admin, Namespace = name },
                RoleRef = new RoleRef { Name = Roles.Admin },
                Subjects = [new Subject { Kind = Subject.UserKind, ApiGroup = RbacApi.Group, Name = user.Name }],
            }, null, cancellationToken).ConfigureAwait(false);
        }
        return created;
    }

    public ValueTask<JsonObject> UpdateAsync(string? ns, string name, JsonObject body, WriteOptions options, CancellationToken cancellationToken = default) =>
        inner.UpdateAsync(ns, name, body, options, cancellationToken);

    public ValueTask<JsonObject> PatchAsync(string? ns, string name, Func<JsonObject, JsonObject> patch, WriteOptions options, CancellationToken cancellationToken = default) =>
        inner.PatchAsync(ns, name, patch, options, cancellationToken);

    public ValueTask<JsonObject> DeleteAsync(string? ns, string name, DeleteOptions options, CancellationToken cancellationToken = default) =>
        inner.DeleteAsync(ns, name, options, cancellationToken);

    public IAsyncEnumerable<ResourceEvent> WatchAsync(string? ns, WatchOptions options, CancellationToken cancellationToken = default) =>
        inner.WatchAsync(ns, options, cancellationToken);
}
