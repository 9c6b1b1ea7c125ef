using ImageStreams.Distribution.Access;
using ImageStreams.Registry.Auth;
using ImageStreams.Resources;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ImageStreams.Server.Security;

/// <summary>Authentication and authorization as a feature of the server.</summary>
internal static class SecurityServiceCollectionExtensions
{
    /// <summary>
    /// Tokens, the htpasswd users of <see cref="ServerOptions.HtpasswdFile"/>, role-based authorization of the API and the
    /// registry, <c>users/~</c>, access reviews, the creator-becomes-admin rule of namespaces, and the server's own
    /// registry credentials (<see cref="IIntegratedRegistryCredentials"/>).
    /// </summary>
    public static IServiceCollection AddImageStreamsSecurity(this IServiceCollection services, ServerOptions options)
    {
        services.AddHttpContextAccessor();
        services.AddSingleton(sp => new AccessTokens(sp.GetRequiredService<ResourceSet>(), sp.GetRequiredService<TimeProvider>()));
        if (!string.IsNullOrEmpty(options.HtpasswdFile))
        {
            services.AddSingleton(sp => new HtpasswdFile(options.HtpasswdFile, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<HtpasswdFile>>()));
        }
        services.AddSingleton(sp => new Authenticator(sp.GetRequiredService<AccessTokens>(), sp.GetService<HtpasswdFile>()));
        services.AddSingleton<RbacAuthorizer>();
        services.AddSingleton<IRequestAuthorizer>(sp => sp.GetRequiredService<RbacAuthorizer>());
        services.AddSingleton<IRegistryAuthorizer, RegistryRequestAuthorizer>();
        services.AddSingleton<CurrentUser>();
        services.AddSingleton<IResourceHandler, UserHandler>();
        services.AddSingleton<IResourceHandler, SelfSubjectAccessReviewHandler>();
        services.AddSingleton<IResourceHandler, ProjectHandler>();
        services.AddSingleton<TokenEndpoint>();
        services.AddSingleton<IntegratedRegistryCredentials>();
        services.AddSingleton<IIntegratedRegistryCredentials>(sp => sp.GetRequiredService<IntegratedRegistryCredentials>());
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<IntegratedRegistryCredentials>());
        return services;
    }

    /// <summary>Checks the htpasswd file, makes the admin token and the server's registry token; returns the admin token.</summary>
    public static async Task<string> InitializeSecurityAsync(this WebApplication app, string dataDir, CancellationToken cancellationToken)
    {
        app.Services.GetService<HtpasswdFile>()?.EnsureReadable();
        var tokens = app.Services.GetRequiredService<AccessTokens>();
        await app.Services.GetRequiredService<IntegratedRegistryCredentials>().RenewAsync(cancellationToken).ConfigureAwait(false);
        return await AdminCredential.EnsureAsync(dataDir, tokens, cancellationToken).ConfigureAwait(false);
    }
}
