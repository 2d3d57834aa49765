using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DataPlatform.Api.Security;

/// <summary>
/// At start: stores <see cref="SecurityOptions.AdminKey"/> when it is given, then refuses to start a silo that
/// listens beyond loopback while no key exists (anyone reaching the port would otherwise read everything).
/// </summary>
public sealed partial class ApiKeyStartupCheck(
    ApiKeyDirectory keys,
    ListeningAddresses listening,
    IOptions<SecurityOptions> options,
    TimeProvider clock,
    ILogger<ApiKeyStartupCheck> logger) : IHostedService
{
    public const string BootstrapKeyName = "Security:AdminKey";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.AdminKey is { Length: > 0 } token)
        {
            if (!ApiKeyToken.TryParse(token, out var id, out var secret))
            {
                throw new InvalidOperationException("Security:AdminKey is not an API key: give it a token printed by 'keys generate' or 'keys create' (dp_<id>_<secret>).");
            }
            await keys.Store.AddAsync(new ApiKey(id, BootstrapKeyName, ApiRole.Admin, ApiKeyToken.Hash(secret), clock.GetUtcNow()), cancellationToken);
        }
        var stored = await keys.Store.ListAsync(cancellationToken);
        if (!stored.Any(key => key.IsActive) && !listening.LoopbackOnly)
        {
            throw new InvalidOperationException(
                $"DataPlatform listens on {string.Join(", ", listening.Urls)}, beyond this machine, and no API key exists: create the first admin key with "
                + "'dotnet DataPlatform.Silo.dll keys create --name <who> --role admin' (same configuration as the silo), or give one in Security:AdminKey, or listen on 127.0.0.1 only.");
        }
        if (stored.Count == 0)
        {
            LogOpen(logger, string.Join(", ", listening.Urls));
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "No API key exists and the silo listens on {Urls} only: requests from this machine need no key until the first key is created")]
    private static partial void LogOpen(ILogger logger, string urls);
}
