using DataPlatform.Api.Health;
using DataPlatform.Grains.Lake;
using DataPlatform.Lake.Tables;

namespace DataPlatform.UnitTests.Lake;

/// <summary>One table that cannot be written is reported by name within two failed flushes, whatever the other tables do.</summary>
public sealed class WriterHealthTests : IDisposable
{
    private const string Broken = "bronze.users";
    private const string Working = "bronze.app_events";
    private readonly LakeWriterHarness _lake = new();

    public void Dispose() => _lake.Dispose();

    private async Task FlushBothAsync(int n)
    {
        _lake.Writer.Append(Broken, BronzeRows.Record(default, false, "{}"u8, null, null, null, DateTimeOffset.UtcNow, BronzeRows.InProcess));
        _lake.Writer.Append(Working, BronzeRows.Record("k"u8, true, "{}"u8, 0, n, null, DateTimeOffset.UtcNow, BronzeRows.FromKafka), "kafka:topic_app_events-0", n);
        await _lake.Writer.FlushAppendsAsync(default);
    }

    private (HealthCheckResult Check, LakeHealth Lake) Health() =>
        HealthEndpoints.LakeCheck(_lake.Writer, [], _lake.Lake.Options, _lake.Lake.Clock.GetUtcNow());

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task A_table_whose_directory_cannot_be_written_is_degraded_after_two_failed_flushes_and_recovers()
    {
        await FlushBothAsync(1);
        Assert.Equal(HealthStatus.Healthy, Health().Check.Status);
        using var unwritable = Unwritable.Make(LakeTable.TablePath(_lake.Lake.Root, Broken));

        await FlushBothAsync(2);
        Assert.Equal(HealthStatus.Healthy, Health().Check.Status);
        await FlushBothAsync(3);

        var (check, lake) = Health();
        Assert.Equal(HealthStatus.Degraded, check.Status);
        Assert.Contains(Broken, check.Detail, StringComparison.Ordinal);
        var failing = Assert.Single(lake.FailingTables!);
        Assert.Equal((Broken, 2, 2L), (failing.Table, failing.ConsecutiveFailures, failing.RowsWaiting));
        Assert.NotNull(failing.LastError);
        Assert.Equal(2, lake.ConsecutiveFailures);
        Assert.Equal((0, 0L), (_lake.StatusOf(Working).ConsecutiveFailures, _lake.StatusOf(Working).RowsWaiting));
        Assert.Equal(3, await _lake.CountAsync(Working));

        unwritable.Dispose();
        await FlushBothAsync(4);

        Assert.Equal(HealthStatus.Healthy, Health().Check.Status);
        Assert.Empty(Health().Lake.FailingTables!);
        Assert.Equal(4, await _lake.CountAsync(Broken));
        Assert.Equal(4, await _lake.CountAsync(Working));
    }

    /// <summary>
    /// Makes a table directory unwritable: chmod 0555 on every directory of it, or, for root (whom modes do
    /// not stop), moves it aside and puts a regular file in its place so no directory can be created in it.
    /// </summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private sealed class Unwritable : IDisposable
    {
        private readonly string _path;
        private readonly bool _moved;

        private Unwritable(string path, bool moved)
        {
            _path = path;
            _moved = moved;
        }

        public static Unwritable Make(string path)
        {
            if (Environment.IsPrivilegedProcess)
            {
                Directory.Move(path, path + ".aside");
                File.WriteAllText(path, "not a directory");
                return new Unwritable(path, moved: true);
            }
            foreach (var directory in Directory.EnumerateDirectories(path, "*", SearchOption.AllDirectories).Prepend(path))
            {
                File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            }
            return new Unwritable(path, moved: false);
        }

        public void Dispose()
        {
            if (_moved)
            {
                if (File.Exists(_path))
                {
                    File.Delete(_path);
                    Directory.Move(_path + ".aside", _path);
                }
                return;
            }
            foreach (var directory in Directory.EnumerateDirectories(_path, "*", SearchOption.AllDirectories).Prepend(_path))
            {
                File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            }
        }
    }
}
