using DataPlatform.Grains.Checkpoints;
using DataPlatform.KafkaTests.Cluster;
using DataPlatform.Silo.Checkpoints;
using DataPlatform.Silo.Hosting;
using Npgsql;

namespace DataPlatform.KafkaTests.Checkpoints;

/// <summary>
/// The checkpoint store contract on the cluster profile's store: each test takes a fresh database of the
/// shared PostgreSQL, with deploy/sql applied as a silo applies it.
/// </summary>
[Collection(SharedPostgres.Name)]
public sealed class PostgresCheckpointStoreTests(PostgresServer postgres) : CheckpointStoreContract
{
    private static readonly StateKey Counter = new("counter", "a");

    private string? _database;

    private string Database => _database ?? throw new InvalidOperationException("The database is made in InitializeAsync.");

    protected override async Task<ICheckpointStore> CreateStoreAsync()
    {
        var empty = await postgres.CreateEmptyDatabaseAsync();
        await OrleansSchema.ApplyAsync(empty, CancellationToken.None);
        // The fixture turns pooling off; a silo's store pools, and thousands of reads need it.
        _database = new NpgsqlConnectionStringBuilder(empty) { Pooling = true }.ConnectionString;
        return new PostgresCheckpointStore(Database);
    }

    [Fact]
    public async Task Another_store_on_the_same_database_sees_the_completed_checkpoint_and_rolls_back_the_open_epoch()
    {
        await CompleteEpochOneAsync();
        await Store.WriteStatesAsync(2, [new StateWrite(Counter, [2])], default);

        await using var restarted = new PostgresCheckpointStore(Database);

        await AssertEpochOneAsync(restarted, await restarted.RollBackAsync(default), generation: 1);
    }

    [Fact]
    public async Task Applying_the_schema_again_keeps_the_checkpoint_and_the_states()
    {
        await CompleteEpochOneAsync();

        await OrleansSchema.ApplyAsync(Database, CancellationToken.None);

        await AssertEpochOneAsync(Store, await Store.LoadAsync(default), generation: 0);
    }

    [Fact]
    public async Task A_database_without_the_checkpoint_schema_is_named_in_the_error()
    {
        await using var connection = new NpgsqlConnection(Database);
        await connection.OpenAsync();
        await using (var command = new NpgsqlCommand("DELETE FROM checkpoint_record", connection))
        {
            await command.ExecuteNonQueryAsync();
        }

        var load = await Assert.ThrowsAsync<InvalidOperationException>(() => Store.LoadAsync(default));
        var complete = await Assert.ThrowsAsync<InvalidOperationException>(() => Store.CompleteAsync(1, new Dictionary<string, long>(), [], default));

        Assert.Contains("05-checkpoints.sql", load.Message, StringComparison.Ordinal);
        Assert.Contains("05-checkpoints.sql", complete.Message, StringComparison.Ordinal);
    }

    private async Task CompleteEpochOneAsync()
    {
        await Store.WriteStatesAsync(1, [new StateWrite(Counter, [1])], default);
        await Store.CompleteAsync(1, new Dictionary<string, long> { ["orders-0"] = 42 }, [], default);
    }

    private static async Task AssertEpochOneAsync(ICheckpointStore store, CheckpointRecord record, long generation)
    {
        Assert.Equal((1, generation), (record.CompletedEpoch, record.Generation));
        Assert.Equal(42, record.Offsets["orders-0"]);
        Assert.Equal([1], await store.ReadStateAsync(Counter, default));
    }
}
