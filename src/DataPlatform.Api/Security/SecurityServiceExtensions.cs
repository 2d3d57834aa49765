using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace DataPlatform.Api.Security;

/// <summary>API keys and roles: registration. A host that keeps keys elsewhere registers its <see cref="IApiKeyStore"/> first.</summary>
public static class SecurityServiceExtensions
{
    public static IServiceCollection AddDataPlatformSecurity(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.Configure<SecurityOptions>(configuration.GetSection(SecurityOptions.SectionName));
        services.AddSingleton(new ListeningAddresses(configuration[WebHostDefaultsUrlsKey]));
        services.TryAddSingleton<IApiKeyStore>(sp => new FileApiKeyStore(sp.GetRequiredService<IOptions<SecurityOptions>>().Value.KeyFile));
        services.AddSingleton<ApiKeyDirectory>();
        services.AddHostedService<ApiKeyStartupCheck>();
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddAuthorization(ApiPolicies.AddTo);
        services.AddRateLimiter(QueryRateLimit.AddTo);
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<SecurityOptions>>((kestrel, security) =>
            kestrel.Limits.MaxRequestBodySize = security.Value.MaxRequestBodyBytes);
        return services;
    }

    // WebHostDefaults.ServerUrlsKey: the "urls" setting (--urls, ASPNETCORE_URLS, Urls in configuration).
    private const string WebHostDefaultsUrlsKey = "urls";
}
