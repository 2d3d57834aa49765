using Npgsql;
using Orleans.Runtime;

namespace DataPlatform.Silo.Hosting;

/// <summary>
/// Applies <see cref="OrleansSchema"/> as the silo's very first start-up step, before membership, grain
/// storage or reminders read <c>OrleansQuery</c>. A database that cannot be reached or changed stops the
/// silo with one sentence naming the setting, not a provider's stack trace.
/// </summary>
internal sealed partial class OrleansSchemaInstaller(string connectionString, ILogger<OrleansSchemaInstaller> logger)
    : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(OrleansSchemaInstaller), ServiceLifecycleStage.First, ApplyAsync);

    private async Task ApplyAsync(CancellationToken cancellationToken)
    {
        try
        {
            await OrleansSchema.ApplyAsync(connectionString, cancellationToken);
            LogApplied(logger);
        }
        catch (Exception ex) when (ex is NpgsqlException or PostgresException or System.Net.Sockets.SocketException or TimeoutException)
        {
            throw new OrleansSchemaException(
                $"The Orleans schema (deploy/sql) could not be applied to the PostgreSQL database in ConnectionStrings:Orleans: {ex.Message}", ex);
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "The Orleans schema (deploy/sql) is in place in PostgreSQL")]
    private static partial void LogApplied(ILogger logger);
}
