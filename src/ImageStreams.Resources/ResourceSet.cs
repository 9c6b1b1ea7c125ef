using ImageStreams.Model.Build;
using ImageStreams.Model.Core;
using ImageStreams.Model.Image;
using ImageStreams.Model.Meta;
using ImageStreams.Model.Security;
using ImageStreams.Model.Workloads;
using ImageStreams.Resources.Builds;
using ImageStreams.Resources.Storage;
using ImageStreams.Resources.Strategies;
using ImageStreams.Resources.Views;
using ImageStreams.Store;
using BuildModel = ImageStreams.Model.Build.Build;
using ImageModel = ImageStreams.Model.Image.Image;

namespace ImageStreams.Resources;

/// <summary>
/// Every resource of the API over one store: typed clients for controllers, JSON handlers for the HTTP API.
/// One instance per store; <see cref="InitializeAsync"/> once before serving.
/// </summary>
public sealed class ResourceSet
{
    private readonly NamespaceClient _namespaces;

    public ResourceSet(IObjectStore store, IRegistryHost registry, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(time);
        var lifecycle = new NamespaceLifecycle(store);
        _namespaces = new NamespaceClient(new ResourceStore<Namespace>(store, new NamespaceStrategy(), lifecycle, time), store, time);
        Secrets = new ResourceStore<Secret>(store, new SecretStrategy(), lifecycle, time);
        ImageStreams = new ResourceStore<ImageStream>(store, new ImageStreamStrategy(registry), lifecycle, time);
        Images = new ResourceStore<ImageModel>(store, new ImageStrategy(), lifecycle, time);
        ImageStreamTags = new ImageStreamTagView(ImageStreams, Images);
        ImageStreamImages = new ImageStreamImageView(ImageStreams, Images);
        RoleBindings = new ResourceStore<RoleBinding>(store, new RoleBindingStrategy(), lifecycle, time);
        ClusterRoleBindings = new ResourceStore<ClusterRoleBinding>(store, new ClusterRoleBindingStrategy(), lifecycle, time);
        AccessTokens = new ResourceStore<OAuthAccessToken>(store, new OAuthAccessTokenStrategy(), lifecycle, time);
        BuildConfigs = new TriggerCycleGuard(new ResourceStore<BuildConfig>(store, new BuildConfigStrategy(), lifecycle, time));
        Builds = new ResourceStore<BuildModel>(store, new BuildResourceStrategy(), lifecycle, time);
        BuildInstantiator = new BuildInstantiator(BuildConfigs, Builds, time);
        Deployments = new ResourceStore<Deployment>(store, new WorkloadStrategy<Deployment>(ResourceTypes.Deployments), lifecycle, time);
        StatefulSets = new ResourceStore<StatefulSet>(store, new WorkloadStrategy<StatefulSet>(ResourceTypes.StatefulSets), lifecycle, time);
        DaemonSets = new ResourceStore<DaemonSet>(store, new WorkloadStrategy<DaemonSet>(ResourceTypes.DaemonSets), lifecycle, time);
        CronJobs = new ResourceStore<CronJob>(store, new WorkloadStrategy<CronJob>(ResourceTypes.CronJobs), lifecycle, time);
        Handlers =
        [
            new ResourceHandler<Namespace>(Namespaces),
            new ResourceHandler<Secret>(Secrets),
            new ResourceHandler<ImageStream>(ImageStreams),
            new ResourceHandler<ImageModel>(Images),
            new ResourceHandler<ImageStreamTag>(ImageStreamTags),
            new ResourceHandler<ImageStreamImage>(ImageStreamImages),
            new ResourceHandler<RoleBinding>(RoleBindings),
            new ResourceHandler<ClusterRoleBinding>(ClusterRoleBindings),
            new ResourceHandler<OAuthAccessToken>(AccessTokens),
            new ResourceHandler<BuildConfig>(BuildConfigs),
            new ResourceHandler<BuildModel>(Builds),
            new ResourceHandler<Deployment>(Deployments),
            new ResourceHandler<StatefulSet>(StatefulSets),
            new ResourceHandler<DaemonSet>(DaemonSets),
            new ResourceHandler<CronJob>(CronJobs),
        ];
    }

    /// <summary>The namespace named in requests that give none.</summary>
    public const string DefaultNamespace = CoreApi.DefaultNamespace;

    public IResourceClient<Namespace> Namespaces => _namespaces;

    public IResourceClient<Secret> Secrets { get; }

    public IResourceClient<ImageStream> ImageStreams { get; }

    public IResourceClient<ImageModel> Images { get; }

    public IResourceClient<ImageStreamTag> ImageStreamTags { get; }

    public IResourceClient<ImageStreamImage> ImageStreamImages { get; }

    public IResourceClient<RoleBinding> RoleBindings { get; }

    public IResourceClient<ClusterRoleBinding> ClusterRoleBindings { get; }

    /// <summary>Bearer tokens, by the hash of the token.</summary>
    public IResourceClient<OAuthAccessToken> AccessTokens { get; }

    public IResourceClient<BuildConfig> BuildConfigs { get; }

    public IResourceClient<BuildModel> Builds { get; }

    public IResourceClient<Deployment> Deployments { get; }

    public IResourceClient<StatefulSet> StatefulSets { get; }

    public IResourceClient<DaemonSet> DaemonSets { get; }

    public IResourceClient<CronJob> CronJobs { get; }

    /// <summary>Starts builds of BuildConfigs (the instantiate subresources).</summary>
    public BuildInstantiator BuildInstantiator { get; }

    /// <summary>The JSON handlers of every resource above, for the HTTP API.</summary>
    public IReadOnlyList<IResourceHandler> Handlers { get; }

    /// <summary>Creates the <c>default</c> namespace and finishes namespace deletions a crash cut short.</summary>
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        await _namespaces.EnsureAsync(DefaultNamespace, cancellationToken).ConfigureAwait(false);
        await _namespaces.FinishTerminatingAsync(cancellationToken).ConfigureAwait(false);
    }
}
