using DataPlatform.Lake;
using DataPlatform.Lake.Schema;
using DataPlatform.Lake.Sql;
using DataPlatform.Lake.Tables;
using Microsoft.Extensions.Time.Testing;

namespace DataPlatform.UnitTests.Lake;

/// <summary>A lake in a temporary directory with one table of every column type.</summary>
internal sealed class TestLake : IDisposable
{
    public static readonly TableDefinition Events = new()
    {
        Name = "silver.test_events",
        Description = "Test events",
        Owner = "tests",
        PartitionColumn = "event_date",
        KeyColumns = ["event_id"],
        RetentionDays = 30,
        Columns =
        [
            new("event_id", LakeColumnType.String, Nullable: false),
            new("user_id", LakeColumnType.String, Pii: true),
            new("quantity", LakeColumnType.Int),
            new("offset", LakeColumnType.Long),
            new("value", LakeColumnType.Double, Min: 0, Max: 1000),
            new("amount", LakeColumnType.Decimal),
            new("flag", LakeColumnType.Boolean),
            new("occurred_at", LakeColumnType.Timestamp),
            new("event_date", LakeColumnType.Date, Nullable: false),
        ],
    };

    public static readonly TableDefinition Totals = new()
    {
        Name = "gold.test_totals",
        Description = "Totals per user and day",
        Owner = "tests",
        PartitionColumn = "date",
        KeyColumns = ["user_id"],
        Mode = TableMode.KeyedSnapshot,
        Columns =
        [
            new("date", LakeColumnType.Date, Nullable: false),
            new("user_id", LakeColumnType.String, Nullable: false),
            new("total", LakeColumnType.Decimal),
        ],
    };

    public TestLake()
    {
        Root = Path.Combine(Path.GetTempPath(), "dp-lake-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
        Options = new LakeOptions { Root = Root, CompactionMinFiles = 3, RemovedFileGracePeriod = TimeSpan.FromMinutes(10) };
    }

    public string Root { get; }
    public LakeOptions Options { get; }
    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    public LakeTable Open(TableDefinition definition)
    {
        var table = new LakeTable(Root, definition, Options, Clock);
        table.Open();
        return table;
    }

    private readonly List<LakeQueryEngine> _engines = [];

    /// <summary>A query engine over this lake, with the options as they are now; closed with the lake.</summary>
    public LakeQueryEngine Engine()
    {
        var engine = new LakeQueryEngine(Options, [Events, Totals]);
        _engines.Add(engine);
        return engine;
    }

    public static object?[] Event(int n, DateOnly date, double value = 1.5) =>
    [
        $"e{n}", $"u{n % 7}", n, (long)n * 10, value, 12.34m + n, n % 2 == 0,
        new DateTime(2026, 11, 23, 10, 0, 0, DateTimeKind.Utc).AddSeconds(n), date,
    ];

    public void Dispose()
    {
        foreach (var engine in _engines)
        {
            engine.Dispose();
        }
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A file still open by a test's reader: the temporary directory is left for the OS.
        }
    }
}
