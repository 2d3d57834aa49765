using System.Text.Json;
using DataPlatform.Api;
using DataPlatform.Api.Health;
using DataPlatform.Contracts.Checkpoints;
using DataPlatform.Lake;
using DataPlatform.Lake.Catalog;

namespace DataPlatform.UnitTests.Api;

/// <summary>/health is built from the monitor's cached figures and the writer's counters, without calling a grain.</summary>
public sealed class HealthReportTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    private static HealthFigures Fresh(double ageSeconds = 1) => new(2, 1234, [], Now.AddSeconds(-ageSeconds));

    [Fact]
    public void Fresh_figures_and_a_writer_without_failures_are_healthy_and_report_their_age()
    {
        var report = HealthEndpoints.Report(Fresh(1.5), new Writer([]), null, new LakeOptions(), Now);

        Assert.Equal(HealthStatus.Healthy, report.Status);
        Assert.Equal(1.5, report.FiguresAgeS);
        Assert.Equal(["silos", "kpis", "kafka", "lake", "storage"], report.Checks.Select(check => check.Name));
        Assert.Equal("2 active silo(s)", report.Checks[0].Detail);
        Assert.Equal("1234 events counted", report.Checks[1].Detail);
    }

    [Fact]
    public void The_storage_check_says_whether_grain_state_survives_a_restart()
    {
        var memory = HealthEndpoints.Report(Fresh(), null, null, new LakeOptions(), Now).Checks.Single(check => check.Name == "storage");
        var postgres = HealthEndpoints.Report(Fresh(), null, null, new LakeOptions(), Now, ClusterStorage.PostgreSql).Checks.Single(check => check.Name == "storage");

        Assert.Equal("memory: not durable across restarts", memory.Detail);
        Assert.StartsWith("PostgreSQL", postgres.Detail, StringComparison.Ordinal);
        Assert.Equal(HealthStatus.Healthy, memory.Status);
    }

    [Fact]
    public void One_table_failing_twice_in_a_row_is_degraded_by_name_while_others_succeed()
    {
        var writer = new Writer(
        [
            new TableWriterStatus("bronze.app_events", 0, 0, 0, null, null, Now),
            new TableWriterStatus("silver.orders", 2, 27_000, 0, "IOException: Read-only file system", Now, Now.AddMinutes(-2)),
            new TableWriterStatus("gold.daily_sales", 1, 4, 3, "IOException: busy", Now, Now.AddSeconds(-20)),
        ]);

        var report = HealthEndpoints.Report(Fresh(), writer, null, new LakeOptions(), Now);

        Assert.Equal(HealthStatus.Degraded, report.Status);
        var lake = report.Checks.Single(check => check.Name == "lake");
        Assert.Equal(HealthStatus.Degraded, lake.Status);
        Assert.Contains("failing: silver.orders (2 failed flushes in a row, 27000 row(s) waiting, last success 120 s ago: IOException: Read-only file system)", lake.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("failing: gold.daily_sales", lake.Detail, StringComparison.Ordinal);
        Assert.Contains("quarantined rows: gold.daily_sales 3", lake.Detail, StringComparison.Ordinal);
        Assert.Equal(["silver.orders", "gold.daily_sales"], report.Lake!.FailingTables!.Select(table => table.Table));
        Assert.Equal(2, report.Lake.ConsecutiveFailures);
        Assert.Equal(3, report.Lake.QuarantinedRows!["gold.daily_sales"]);
    }

    [Fact]
    public void A_single_failure_is_not_yet_degraded()
    {
        var writer = new Writer([new TableWriterStatus("silver.orders", 1, 10, 0, "IOException: x", Now, Now.AddSeconds(-10))]);

        Assert.Equal(HealthStatus.Healthy, HealthEndpoints.Report(Fresh(), writer, null, new LakeOptions(), Now).Status);
    }

    [Fact]
    public void Figures_not_refreshed_for_long_are_degraded_with_their_age_and_error_never_unhealthy()
    {
        var stale = Fresh(95) with { LastError = "TimeoutException: The operation has timed out." };

        var report = HealthEndpoints.Report(stale, new Writer([]), null, new LakeOptions(), Now);

        Assert.Equal(HealthStatus.Degraded, report.Status);
        Assert.All(report.Checks.Where(check => check.Name is not ("kafka" or "storage")), check => Assert.Equal(HealthStatus.Degraded, check.Status));
        Assert.Contains("figures are 95 s old", report.Checks[0].Detail, StringComparison.Ordinal);
        Assert.Contains("TimeoutException", report.Checks[0].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Before_the_first_refresh_the_checks_say_so()
    {
        var report = HealthEndpoints.Report(HealthFigures.None, null, null, new LakeOptions(), Now);

        Assert.Equal(HealthStatus.Degraded, report.Status);
        Assert.Null(report.FiguresAgeS);
        Assert.StartsWith("no figures yet", report.Checks[0].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void No_active_silo_in_fresh_figures_is_unhealthy()
    {
        var report = HealthEndpoints.Report(Fresh() with { ActiveSilos = 0 }, null, null, new LakeOptions(), Now);

        Assert.Equal(HealthStatus.Unhealthy, report.Status);
    }

    [Fact]
    public void The_checkpoint_step_and_a_flush_under_way_are_shown_as_they_are_and_leave_the_silo_healthy()
    {
        var idle = HealthEndpoints.Report(Fresh(), new Writer([]), null, new LakeOptions(), Now);
        var busy = HealthEndpoints.Report(Fresh(), new Writer([]) { IsFlushing = true }, null, new LakeOptions(), Now,
            ClusterStorage.PostgreSql, new Progress(CheckpointPhases.Persisting, 41, 3));

        Assert.Null(idle.Checkpoint);
        Assert.False(idle.Lake!.Flushing);
        Assert.Equal(new CheckpointHealth("persisting", 41, 3), busy.Checkpoint);
        Assert.True(busy.Lake!.Flushing);
        Assert.Equal(HealthStatus.Healthy, busy.Status);
        using var json = JsonDocument.Parse(JsonSerializer.Serialize(busy, ApiJsonContext.Default.HealthReport));
        var checkpoint = json.RootElement.GetProperty("checkpoint");
        Assert.Equal(("persisting", 41L, 3L), (checkpoint.GetProperty("phase").GetString(), checkpoint.GetProperty("completed_epoch").GetInt64(), checkpoint.GetProperty("generation").GetInt64()));
        Assert.True(json.RootElement.GetProperty("lake").GetProperty("flushing").GetBoolean());
    }

    private sealed record Progress(string Phase, long CompletedEpoch, long Generation) : ICheckpointProgress;

    private sealed class Writer(IReadOnlyList<TableWriterStatus> tables) : ILakeWriterStatus
    {
        public bool IsFlushing { get; init; }
        public DateTimeOffset? LastFlushAt => Now.AddSeconds(-1);
        public long BufferedRows => tables.Sum(table => table.RowsWaiting);
        public long RowsCommitted => 0;
        public long FilesCommitted => 0;
        public int ConsecutiveFailures => tables.Select(table => table.ConsecutiveFailures).DefaultIfEmpty().Max();
        public IReadOnlyList<TableWriterStatus> Tables => tables;
    }
}
