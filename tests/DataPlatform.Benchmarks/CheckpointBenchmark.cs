using System.Diagnostics;
using DataPlatform.Grains.Checkpoints;
using DataPlatform.Silo.Checkpoints;

namespace DataPlatform.Benchmarks;

/// <summary>
/// The cluster profile's checkpoint store writing grain states: one <see cref="ICheckpointStore.WriteStatesAsync"/>
/// call with every state, first as new rows, then as overwrites in each following epoch (the current version
/// moves to the previous slot), each epoch completed before the next. It runs in a database of its own on the
/// given PostgreSQL server and drops it afterwards.
/// </summary>
public static class CheckpointBenchmark
{
    public static async Task<object> RunAsync(string server, int states, int bytes, int runs)
    {
        await using var database = await ScratchDatabase.CreateAsync(server, "dp_bench_checkpoints");
        await using var store = new PostgresCheckpointStore(database.ConnectionString);

        // Warms up the connection pool and the code paths outside the timed calls.
        await store.WriteStatesAsync(1, [.. Writes("warm-up", 100, bytes)], default);

        var inserted = await WriteAsync(store, 1, [.. Writes("state", states, bytes)]);
        await store.CompleteAsync(1, new Dictionary<string, long>(), [], default);
        var overwrites = new List<double>();
        for (var epoch = 2; epoch < runs + 2; epoch++)
        {
            overwrites.Add(await WriteAsync(store, epoch, [.. Writes("state", states, bytes)]));
            await store.CompleteAsync(epoch, new Dictionary<string, long>(), [], default);
        }
        overwrites.Sort();

        return new
        {
            benchmark = "checkpoints",
            states,
            payload_bytes = bytes,
            states_per_statement = PostgresCheckpointStore.StatesPerStatement,
            insert = new { seconds = Math.Round(inserted, 2), rows_per_second = Math.Round(states / inserted) },
            overwrite = new
            {
                runs,
                p50_seconds = Math.Round(overwrites[overwrites.Count / 2], 2),
                p50_rows_per_second = Math.Round(states / overwrites[overwrites.Count / 2]),
                best_rows_per_second = Math.Round(states / overwrites[0]),
            },
        };
    }

    private static async Task<double> WriteAsync(PostgresCheckpointStore store, long epoch, StateWrite[] writes)
    {
        var watch = Stopwatch.StartNew();
        await store.WriteStatesAsync(epoch, writes, default);
        return watch.Elapsed.TotalSeconds;
    }

    // Random bytes, so PostgreSQL cannot compress them: the figure is for state that does not shrink.
    private static IEnumerable<StateWrite> Writes(string stateName, int count, int bytes)
    {
        for (var index = 0; index < count; index++)
        {
            var payload = new byte[bytes];
            Random.Shared.NextBytes(payload);
            yield return new StateWrite(new StateKey(stateName, $"grain-{index:D7}"), payload);
        }
    }
}
