using System.Net;
using DataPlatform.Grains.Checkpoints;
using DataPlatform.Silo.Checkpoints;
using Orleans.Configuration;

namespace DataPlatform.Silo.Hosting;

/// <summary>
/// Where the silo keeps its cluster: membership, grain state (default, "PubSubStore" and the checkpoint store) and reminders.
/// <see cref="OrleansHostingOptions.LocalhostClustering"/> keeps them in this process (the embedded default:
/// nothing survives a restart); <see cref="OrleansHostingOptions.AdoNetClustering"/> keeps them in PostgreSQL
/// (ConnectionStrings:Orleans), whose schema the silo applies before Orleans starts.
/// </summary>
public static class ClusterProfileExtensions
{
    /// <summary>The ADO.NET provider invariant of Npgsql.</summary>
    public const string Invariant = "Npgsql";

    /// <summary>The connection string name (ConnectionStrings:Orleans).</summary>
    public const string ConnectionStringName = "Orleans";

    /// <summary>The storage name Orleans streams keep their pub-sub state under.</summary>
    public const string PubSubStore = "PubSubStore";

    /// <summary>The connection string when the options choose PostgreSQL, null for the localhost profile.</summary>
    public static string? ClusterConnectionString(this IConfiguration configuration, OrleansHostingOptions orleans)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(orleans);
        if (string.Equals(orleans.ClusterProvider, OrleansHostingOptions.LocalhostClustering, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        if (!string.Equals(orleans.ClusterProvider, OrleansHostingOptions.AdoNetClustering, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException(
                $"Orleans:ClusterProvider is '{orleans.ClusterProvider}': set it to {OrleansHostingOptions.LocalhostClustering} or {OrleansHostingOptions.AdoNetClustering}.");
        }
        var connectionString = configuration.GetConnectionString(ConnectionStringName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException(
                "Orleans:ClusterProvider is AdoNet but ConnectionStrings:Orleans is empty: set it to the PostgreSQL connection string (deploy/scripts/postgres.sh url prints one).");
        }
        return connectionString;
    }

    /// <summary>
    /// Membership: localhost on the configured ports, or the PostgreSQL membership table (schema applied first)
    /// with failure detection tuned by <see cref="OrleansHostingOptions.Membership"/>.
    /// </summary>
    public static ISiloBuilder UseDataPlatformClustering(this ISiloBuilder silo, OrleansHostingOptions orleans, string? connectionString)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(orleans);
        if (connectionString is null)
        {
            return silo.UseLocalhostClustering(orleans.SiloPort, orleans.GatewayPort, serviceId: orleans.ServiceId, clusterId: orleans.ClusterId);
        }
        silo.Configure<ClusterOptions>(options =>
        {
            options.ClusterId = orleans.ClusterId;
            options.ServiceId = orleans.ServiceId;
        });
        silo.Configure<ClusterMembershipOptions>(orleans.Membership.ApplyTo);
        // Orleans' default directory allows a grain two activations for a moment after a silo dies; with
        // checkpoints each silo would write its own activation's state, and the last write would win.
        // Orleans marks this directory as an evaluation feature (ORLEANSEXP003) in 10.4.2.
#pragma warning disable ORLEANSEXP003
        silo.AddDistributedGrainDirectory();
#pragma warning restore ORLEANSEXP003
        if (string.IsNullOrWhiteSpace(orleans.AdvertisedIPAddress))
        {
            silo.ConfigureEndpoints(orleans.SiloPort, orleans.GatewayPort, listenOnAnyHostAddress: true);
        }
        else
        {
            silo.ConfigureEndpoints(IPAddress.Parse(orleans.AdvertisedIPAddress), orleans.SiloPort, orleans.GatewayPort, listenOnAnyHostAddress: true);
        }
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(
            services => ActivatorUtilities.CreateInstance<OrleansSchemaInstaller>(services, connectionString));
        return silo.UseAdoNetClustering(options =>
        {
            options.Invariant = Invariant;
            options.ConnectionString = connectionString;
        });
    }

    /// <summary>
    /// Grain state, default and "PubSubStore": memory, or PostgreSQL. Either way the payload is written by the
    /// <c>IGrainStorageSerializer</c> the grains register (Orleans' binary serializer).
    /// </summary>
    public static ISiloBuilder AddDataPlatformGrainStorage(this ISiloBuilder silo, string? connectionString)
    {
        ArgumentNullException.ThrowIfNull(silo);
        if (connectionString is null)
        {
            silo.AddMemoryGrainStorageAsDefault();
            return silo.AddMemoryGrainStorage(PubSubStore);
        }
        silo.AddAdoNetGrainStorageAsDefault(options => Configure(options, connectionString));
        // Checkpointed grain state (users, sessions, change-feed rows, KPIs, segments) and the checkpoint record.
        silo.Services.AddSingleton<ICheckpointStore>(_ => new PostgresCheckpointStore(connectionString));
        return silo.AddAdoNetGrainStorage(PubSubStore, options => Configure(options, connectionString));
    }

    /// <summary>Reminders: in memory, or in PostgreSQL.</summary>
    public static ISiloBuilder UseDataPlatformReminders(this ISiloBuilder silo, string? connectionString)
    {
        ArgumentNullException.ThrowIfNull(silo);
        if (connectionString is null)
        {
            return silo.UseInMemoryReminderService();
        }
        return silo.UseAdoNetReminderService(options =>
        {
            options.Invariant = Invariant;
            options.ConnectionString = connectionString;
        });
    }

    private static void Configure(AdoNetGrainStorageOptions options, string connectionString)
    {
        options.Invariant = Invariant;
        options.ConnectionString = connectionString;
    }
}
