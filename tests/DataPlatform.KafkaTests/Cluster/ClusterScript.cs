using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace DataPlatform.KafkaTests.Cluster;

/// <summary>
/// deploy/scripts/cluster.sh with its state, lake and PostgreSQL data in a temp directory and every port free
/// at run time; the constructor's arguments go to every silo (<c>DP_SILO_ARGS</c>). Disposing it runs
/// <c>stop</c> and then kills whatever process a pid file still names, so a failed test leaves nothing running.
/// </summary>
public sealed class ClusterScript : IAsyncDisposable
{
    /// <summary>Silos 1 to this many get free ports.</summary>
    public const int MaxSilos = 3;

    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(4);
    private readonly HashSet<int> _ports = [];
    private readonly string[] _siloArguments;

    public ClusterScript(params string[] siloArguments)
    {
        _siloArguments = siloArguments;
        // Not a 0700 temp directory: PostgreSQL runs as the postgres account and must reach its data below it.
        Directory = System.IO.Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"dp-cluster-{Guid.NewGuid():N}")).FullName;
        WebBase = Range(MaxSilos) - 1;
        SiloBase = Range(MaxSilos) - 1;
        GatewayBase = Range(MaxSilos) - 1;
        KafkaPort = Range(1);
        PostgresPort = Range(1);
    }

    public string Directory { get; }

    public int WebBase { get; }

    public int SiloBase { get; }

    public int GatewayBase { get; }

    public int KafkaPort { get; }

    public int PostgresPort { get; }

    public string PostgresData => Path.Combine(Directory, "state", "pg");

    public string LakeRoot => Path.Combine(Directory, "lake");

    public string KafkaBootstrap => $"127.0.0.1:{KafkaPort}";

    public string Database => $"Host=127.0.0.1;Port={PostgresPort};Database=dataplatform;Username=postgres;Pooling=false";

    public Uri WebAddress(int silo) => new($"http://127.0.0.1:{WebBase + silo}");

    public int SiloPort(int silo) => SiloBase + silo;

    /// <summary>Every process the script's pid files name, PostgreSQL's postmaster included.</summary>
    public IReadOnlyList<int> Pids()
    {
        var state = Path.Combine(Directory, "state");
        var files = System.IO.Directory.Exists(state) ? System.IO.Directory.GetFiles(state, "*.pid") : [];
        var postmaster = Path.Combine(PostgresData, "postmaster.pid");
        return [.. files.Append(postmaster).Where(File.Exists).Select(ReadPid).OfType<int>()];
    }

    public int Pid(string name) => ReadPid(Path.Combine(Directory, "state", $"{name}.pid"))
        ?? throw new InvalidOperationException($"{name} has no pid file.");

    /// <summary>The last lines of a log in the state directory (silo-1, kafka, ...), for failure messages.</summary>
    public string LogTail(string name, int lines = 40)
    {
        var log = Path.Combine(Directory, "state", $"{name}.log");
        return File.Exists(log) ? string.Join('\n', File.ReadLines(log).TakeLast(lines)) : $"(no {name}.log)";
    }

    /// <summary>
    /// Copies every log of the state directory (the silos', Kafka's) and the lake to a new temp directory that
    /// outlives the cluster, for a failed test to name: <c>dp-lake --root &lt;it&gt;/lake</c> reads the lake there.
    /// </summary>
    public string KeepLogs()
    {
        var kept = System.IO.Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"dp-cluster-logs-{Guid.NewGuid():N}")).FullName;
        foreach (var log in System.IO.Directory.GetFiles(Path.Combine(Directory, "state"), "*.log"))
        {
            File.Copy(log, Path.Combine(kept, Path.GetFileName(log)));
        }
        foreach (var file in System.IO.Directory.EnumerateFiles(LakeRoot, "*", SearchOption.AllDirectories))
        {
            var copy = Path.Combine(kept, "lake", Path.GetRelativePath(LakeRoot, file));
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy);
        }
        return kept;
    }

    /// <summary>True while the process exists and has not ended (a zombie waiting to be reaped has ended).</summary>
    public static bool IsRunning(int pid)
    {
        var status = $"/proc/{pid}/status";
        try
        {
            return File.Exists(status) && !File.ReadLines(status).Any(line => line.StartsWith("State:", StringComparison.Ordinal) && line.Contains('Z', StringComparison.Ordinal));
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>Runs cluster.sh with this cluster's directories and ports; returns its output.</summary>
    public Task<string> RunAsync(params string[] arguments) => DeployScript.RunAsync("cluster.sh", arguments, ScriptEnvironment(), ScriptTimeout);

    /// <summary>
    /// <c>cluster.sh kill</c> of <paramref name="silo"/>, started ahead and waiting: <see cref="DeployScript.Ready.RunAsync"/>
    /// kills without waiting for a process to start, so the kill strikes close to the moment the caller chose.
    /// </summary>
    public DeployScript.Ready PrepareKill(int silo) => DeployScript.Prepare("cluster.sh", ["kill", Text(silo)], ScriptEnvironment(), ScriptTimeout);

    private Dictionary<string, string> ScriptEnvironment() => new()
    {
        ["DP_CLUSTER_DIR"] = Path.Combine(Directory, "state"),
        ["DP_LAKE_ROOT"] = LakeRoot,
        ["DP_WEB_BASE"] = Text(WebBase),
        ["DP_SILO_BASE"] = Text(SiloBase),
        ["DP_GATEWAY_BASE"] = Text(GatewayBase),
        ["DP_KAFKA_PORT"] = Text(KafkaPort),
        ["DP_PG_PORT"] = Text(PostgresPort),
        ["DP_SILO_ARGS"] = string.Join(' ', _siloArguments),
    };

    /// <summary>The membership status (Orleans' SiloStatus: 3 active, 6 dead) of the newest silo on a silo port.</summary>
    public async Task<int?> MembershipStatusAsync(int silo)
    {
        await using var connection = new NpgsqlConnection(Database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT Status FROM OrleansMembershipTable WHERE Port = @port ORDER BY Generation DESC LIMIT 1", connection);
        command.Parameters.AddWithValue("port", SiloPort(silo));
        return await command.ExecuteScalarAsync() is int status ? status : null;
    }

    /// <summary>The last checkpoint the cluster completed, as its PostgreSQL checkpoint store records it.</summary>
    public async Task<long> CompletedCheckpointAsync()
    {
        await using var connection = new NpgsqlConnection(Database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT completed_epoch FROM checkpoint_record", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public async ValueTask DisposeAsync()
    {
        var pids = Pids();
        try
        {
            await RunAsync("stop");
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
        {
            // Killed below.
        }
        foreach (var pid in pids.Where(IsRunning))
        {
            try
            {
                using var process = Process.GetProcessById(pid);
                process.Kill(entireProcessTree: true);
            }
            catch (ArgumentException)
            {
                // It ended meanwhile.
            }
        }
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    /// <summary>The first of <paramref name="count"/> consecutive free ports that no other range of this cluster uses.</summary>
    private int Range(int count)
    {
        while (true)
        {
            var first = FreePorts.NextRange(count);
            var range = Enumerable.Range(first, count).ToList();
            if (!range.Any(_ports.Contains))
            {
                _ports.UnionWith(range);
                return first;
            }
        }
    }

    private static int? ReadPid(string file)
    {
        try
        {
            return int.TryParse(File.ReadLines(file).FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
