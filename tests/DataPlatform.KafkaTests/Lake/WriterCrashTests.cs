using System.Diagnostics;
using System.Globalization;
using DataPlatform.Lake.Catalog;
using DataPlatform.Lake.Log;
using DataPlatform.Lake.Tables;

namespace DataPlatform.KafkaTests.Lake;

/// <summary>
/// The silo, as its own process, flushes the lake five times a second while its simulator produces
/// thousands of records a second; it is killed (SIGKILL) at arbitrary moments, mostly in the middle of
/// writing files or commits, and started again on the same lake.
/// </summary>
public sealed class WriterCrashTests : IDisposable
{
    private const int Rounds = 3;
    private readonly string _lakeRoot = Path.Combine(Path.GetTempPath(), $"dp-crash-lake-{Guid.NewGuid():N}");

    [Fact]
    public async Task Killing_the_writer_mid_flush_leaves_no_partial_file_a_consistent_log_and_every_commit()
    {
        var committed = new Dictionary<string, TableSnapshot>(StringComparer.Ordinal);
        var random = new Random(5);
        for (var round = 0; round < Rounds; round++)
        {
            var before = Snapshot("bronze.app_events").Version;
            using var silo = StartSilo();
            try
            {
                // Silver is committed by checkpoints (twice a second here), bronze by every flush.
                await WaitUntilAsync(() => Snapshot("bronze.app_events").Version >= before + 3 && Snapshot("silver.app_events").Version >= 1, silo, TimeSpan.FromSeconds(90));
                await Task.Delay(random.Next(50, 600));
            }
            finally
            {
                silo.Kill(entireProcessTree: true);
                await silo.WaitForExitAsync();
            }

            // No partial file under a final name, every committed file intact, versions contiguous.
            var verified = await LakeVerifier.VerifyAsync(_lakeRoot, PlatformTables.All, CancellationToken.None);
            Assert.All(verified, table => Assert.True(table.Problems.Count == 0, $"{table.Table}: {string.Join("; ", table.Problems)}"));
            Assert.Contains(verified, table => table.Table == "silver.app_events" && table.Rows > 0);

            // Nothing committed before is lost: every file of the earlier snapshots is still committed.
            foreach (var table in PlatformTables.All)
            {
                var now = Snapshot(table.Name);
                if (committed.TryGetValue(table.Name, out var earlier))
                {
                    Assert.True(now.Version >= earlier.Version, $"{table.Name} went back from version {earlier.Version} to {now.Version}");
                    if (table.Mode == DataPlatform.Lake.Schema.TableMode.Append)
                    {
                        Assert.All(earlier.Files.Keys, path => Assert.True(now.Files.ContainsKey(path), $"{table.Name} lost {path}"));
                        Assert.True(now.RowCount >= earlier.RowCount);
                    }
                }
                committed[table.Name] = now;
            }
        }
        // Every restart committed on top of the log the killed process left (version 0 creates the table).
        Assert.True(committed["bronze.app_events"].Version >= Rounds * 3 - 1);
    }

    private TableSnapshot Snapshot(string table) => new DeltaLog(LakeTable.TablePath(_lakeRoot, table)).ReadSnapshot();

    private Process StartSilo() => ChildProcess.Start("DataPlatform.Silo.dll",
    [
        "--urls", $"http://127.0.0.1:{FreePorts.Next()}",
        "--Orleans:SiloPort", FreePorts.Next().ToString(CultureInfo.InvariantCulture),
        "--Orleans:GatewayPort", FreePorts.Next().ToString(CultureInfo.InvariantCulture),
        "--Orleans:ClusterId", $"crash-{Guid.NewGuid():N}",
        "--Platform:Profile", "Development",
        "--Kafka:EmbeddedPort", "0",
        "--Kafka:Partitions", "2",
        "--Simulator:Enabled", "true",
        "--Simulator:Rate", "3000",
        "--Simulator:Users", "500",
        "--Lake:Root", _lakeRoot,
        "--Lake:FlushInterval", "00:00:00.2",
        "--Lake:GoldSnapshotInterval", "00:00:00.5",
        "--Lake:MaintenanceInterval", "01:00:00",
        "--Checkpoints:Interval", "00:00:00.5",
        "--Logging:LogLevel:Default", "Warning",
    ]);

    private static async Task WaitUntilAsync(Func<bool> condition, Process silo, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (silo.HasExited)
            {
                Assert.Fail($"the silo exited: {await silo.StandardError.ReadToEndAsync()}");
            }
            Assert.True(DateTime.UtcNow < deadline, "the silo committed nothing in time");
            await Task.Delay(100);
        }
    }

    public void Dispose()
    {
        if (Directory.Exists(_lakeRoot))
        {
            Directory.Delete(_lakeRoot, recursive: true);
        }
    }
}
