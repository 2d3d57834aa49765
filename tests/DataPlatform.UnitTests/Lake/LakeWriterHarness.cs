using DataPlatform.Grains.Erasure;
using System.Text.Json;
using System.Collections.Concurrent;
using System.Net;
using System.Reflection;
using DataPlatform.Grains.Lake;
using DataPlatform.Lake.Catalog;
using DataPlatform.Lake.Log;
using DataPlatform.Lake.Quality;
using DataPlatform.Lake.Sql;
using DataPlatform.Lake.Tables;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace DataPlatform.UnitTests.Lake;

/// <summary>
/// A real <see cref="LakeWriter"/> over a temporary lake of the platform's tables, whose table grains are
/// plain <see cref="LakeTable"/>s in this process: flushes write real Parquet files and commit real logs.
/// <paramref name="wrap"/> can put a table grain of a test's own in front of each of them.
/// </summary>
internal sealed class LakeWriterHarness : IDisposable
{
    private readonly ConcurrentDictionary<string, ITableGrain> _tables = new(StringComparer.Ordinal);

    public LakeWriterHarness(Func<ITableGrain, ITableGrain>? wrap = null, QualityExpectations? expectations = null)
    {
        Expectations = expectations ?? QualityExpectations.None;
        var grains = DispatchProxy.Create<IGrainFactory, GrainFactoryProxy>();
        ((GrainFactoryProxy)(object)grains).Resolve = name => _tables.GetOrAdd(name, table =>
        {
            var local = new LocalTableGrain(Lake.Open(PlatformTables.Find(table)!));
            return wrap is null ? local : wrap(local);
        });
        Grains = grains;
        Writer = new LakeWriter(grains, Options.Create(Lake.Options), Lake.Clock, new SiloDetails(), Expectations, NullLogger<LakeWriter>.Instance);
        Erasures = new ErasureRegister(Options.Create(Lake.Options), grains, Lake.Clock, NullLogger<ErasureRegister>.Instance);
    }

    /// <summary>The data-quality expectations the writer checks (none unless a test gives some).</summary>
    public QualityExpectations Expectations { get; }

    /// <summary>The erasure register of this lake, as a silo reads it.</summary>
    public ErasureRegister Erasures { get; }

    public TestLake Lake { get; } = new();
    public LakeWriter Writer { get; }

    /// <summary>Answers only <c>GetGrain&lt;ITableGrain&gt;(name)</c>, with the harness's tables.</summary>
    public IGrainFactory Grains { get; }

    public LakeQueryEngine Engine() => new(Lake.Options, PlatformTables.All);

    /// <summary>Rows as plain values: text, booleans, whole numbers as long, other numbers as decimal (their JSON forms are exact).</summary>
    public async Task<IReadOnlyList<object?[]>> QueryAsync(string sql) =>
        [.. (await Engine().ExecuteAsync(sql, null, default)).Rows.Select(row => row.EnumerateArray().Select(Plain).ToArray())];

    private static object? Plain(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null => null,
        JsonValueKind.String => value.GetString(),
        JsonValueKind.True or JsonValueKind.False => value.GetBoolean(),
        JsonValueKind.Number when value.TryGetInt64(out var whole) => whole,
        JsonValueKind.Number => value.GetDecimal(),
        _ => value.GetRawText(),
    };

    public async Task<long> CountAsync(string table) => (long)(await QueryAsync($"SELECT count(*) FROM {table}"))[0][0]!;

    public async Task FlushAsync()
    {
        await Writer.FlushSnapshotsAsync(default);
        await Writer.FlushAppendsAsync(default);
    }

    public TableWriterStatus StatusOf(string table) => Writer.Tables.Single(status => status.Table == table);

    public void Dispose()
    {
        Writer.Dispose();
        Lake.Dispose();
    }

    /// <summary>Answers <c>GetGrain&lt;ITableGrain&gt;(name)</c>; the writer asks for nothing else.</summary>
#pragma warning disable CA1852 // DispatchProxy derives from it at run time
    public class GrainFactoryProxy : DispatchProxy
#pragma warning restore CA1852
    {
        public Func<string, ITableGrain> Resolve { get; set; } = _ => throw new InvalidOperationException("not set");

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) =>
            targetMethod is { Name: nameof(IGrainFactory.GetGrain) } && args is [string name, ..]
                ? Resolve(name)
                : throw new NotSupportedException(targetMethod?.Name);
    }

    private sealed class LocalTableGrain(LakeTable table) : ITableGrain
    {
        public Task<AppendOutcome> AppendAsync(IReadOnlyList<AddFile> files, IReadOnlyList<SourceRange> sources, CommitQuality quality, string writer) =>
            Task.FromResult(table.Append(files, sources, quality, writer));

        public Task<MergeOutcome> MergeAsync(IReadOnlyList<object?[]> rows, IReadOnlyList<string> deletedKeys) => table.MergeAsync(rows, deletedKeys, default);

        public Task<ErasureOutcome> EraseUserAsync(string userId) => table.EraseAsync(UserRows.MatcherFor(table.Definition, userId), default);

        public Task<Dictionary<string, long>> GetSourcePositionsAsync() =>
            Task.FromResult(table.Snapshot.Txns.Values.ToDictionary(txn => txn.AppId, txn => txn.Version, StringComparer.Ordinal));

        public Task<TableCatalogEntry> GetCatalogEntryAsync() => throw new NotSupportedException();

        public Task<IReadOnlyList<CommitRecord>> GetHistoryAsync(int limit) => Task.FromResult<IReadOnlyList<CommitRecord>>([.. table.History.Take(limit)]);

        public Task MaintainAsync() => Task.CompletedTask;
    }

    private sealed class SiloDetails : ILocalSiloDetails
    {
        public string Name => "test";
        public string ClusterId => "test";
        public string DnsHostName => "localhost";
        public SiloAddress SiloAddress { get; } = SiloAddress.New(IPAddress.Loopback, 11111, 1);
        public SiloAddress GatewayAddress => SiloAddress;
    }
}
