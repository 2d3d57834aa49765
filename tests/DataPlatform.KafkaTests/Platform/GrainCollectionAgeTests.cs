using DataPlatform.Grains.Cdc;
using DataPlatform.Grains.Hosting;
using DataPlatform.Grains.Sessions;
using DataPlatform.Grains.Users;
using DataPlatform.Silo.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace DataPlatform.KafkaTests.Platform;

/// <summary>
/// The grains of the many (users, sessions, change-feed rows) are collected after Grains:CollectionAge idle,
/// not after Orleans' default quarter of an hour: a silo holds the users active lately, not every user it saw.
/// </summary>
public sealed class GrainCollectionAgeTests
{
    private static readonly Type[] GrainsOfTheMany = [typeof(UserGrain), typeof(SessionGrain), typeof(CdcRowGrain)];

    [Fact]
    public async Task Users_sessions_and_change_feed_rows_are_collected_after_five_idle_minutes_by_default()
    {
        var collection = await CollectionOptionsAsync();

        Assert.All(GrainsOfTheMany, grain => Assert.Equal(IdleGrainOptions.DefaultCollectionAge, collection.ClassSpecificCollectionAge[grain.FullName!]));
        Assert.Equal(TimeSpan.FromMinutes(5), IdleGrainOptions.DefaultCollectionAge);
    }

    [Fact]
    public async Task Grains_CollectionAge_sets_the_idle_time()
    {
        var collection = await CollectionOptionsAsync("--Grains:CollectionAge", "00:02:00");

        Assert.All(GrainsOfTheMany, grain => Assert.Equal(TimeSpan.FromMinutes(2), collection.ClassSpecificCollectionAge[grain.FullName!]));
    }

    /// <summary>The options Orleans would run with; the host is built, never started, so nothing is reached.</summary>
    private static async Task<GrainCollectionOptions> CollectionOptionsAsync(params string[] settings)
    {
        var app = PlatformHost.Build(["--Kafka:BootstrapServers", "127.0.0.1:1", "--Simulator:Enabled", "false", .. settings]);
        await using (app)
        {
            return app.Services.GetRequiredService<IOptions<GrainCollectionOptions>>().Value;
        }
    }
}
