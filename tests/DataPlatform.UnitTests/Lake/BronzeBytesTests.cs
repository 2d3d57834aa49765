using DataPlatform.Analytics.Kpis;
using DataPlatform.Grains.Ingestion;
using DataPlatform.Grains.Ingestion.Kafka;
using DataPlatform.Grains.Lake;
using DataPlatform.Streaming.Kafka;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace DataPlatform.UnitTests.Lake;

/// <summary>Bronze and the dead letters keep the Kafka key and value bytes exactly as received; a missing key stays NULL.</summary>
public sealed class BronzeBytesTests : IDisposable
{
    // Valid JSON for the decoder, with bytes that are not UTF-8 (0xC3 0x28, a lone 0xFF) in a field it does not read.
    private static readonly byte[] Value = [.. "{\"event_id\":\"e1\",\"junk\":\""u8, 0xC3, 0x28, 0xFF, .. "\"}"u8];
    private static readonly byte[] Key = [0x75, 0xFE, 0x31];
    private readonly LakeWriterHarness _lake = new();

    public void Dispose() => _lake.Dispose();

    private static KafkaRecord Record(byte[]? key, long offset) =>
        new("topic_app_events", "app_events", 2, offset, key is null ? (ReadOnlyMemory<byte>?)null : key, Value, [], DateTimeOffset.UtcNow);

    [Fact]
    public async Task Bronze_stores_the_key_and_value_bytes_exactly_and_a_missing_key_as_null()
    {
        var recorder = new BronzeRecorder(_lake.Writer, _lake.Erasures, Options.Create(_lake.Lake.Options), _lake.Lake.Clock);
        recorder.OnRecord(Record(Key, 10));
        recorder.OnRecord(Record(null, 11));
        await _lake.FlushAsync();

        var rows = await _lake.QueryAsync("SELECT hex(record_key), hex(record_value), record_key IS NULL, typeof(record_value) FROM bronze.app_events ORDER BY kafka_offset");

        Assert.Equal((Convert.ToHexString(Key), Convert.ToHexString(Value), false, "BLOB"), ((string)rows[0][0]!, (string)rows[0][1]!, (bool)rows[0][2]!, (string)rows[0][3]!));
        Assert.Equal((Convert.ToHexString(Value), true), ((string)rows[1][1]!, (bool)rows[1][2]!));
        var read = await DataPlatform.Lake.Files.ParquetDataFile.ReadAsync(
            DataPlatform.Lake.Tables.LakeTable.TablePath(_lake.Lake.Root, "bronze.app_events"), DataPlatform.Lake.Catalog.PlatformTables.Find("bronze.app_events")!,
            _lake.Lake.Open(DataPlatform.Lake.Catalog.PlatformTables.Find("bronze.app_events")!).Snapshot.Files.Values.Single(), default);
        Assert.Equal(Value, (byte[])read[0][1]!);
    }

    [Fact]
    public async Task A_dead_letter_keeps_its_key_and_value_bytes_and_a_missing_key_stays_null()
    {
        var sink = new DeadLetterRecorder(new KpiAccumulator(), _lake.Writer, _lake.Erasures, Options.Create(_lake.Lake.Options), NullLogger<DeadLetterRecorder>.Instance);
        var forwarder = new DeadLetterForwarder(sink, _lake.Lake.Clock);
        await forwarder.HandleAsync(Record(Key, 20), "invalid_utf8", default);
        await forwarder.HandleAsync(Record(null, 21), "invalid_utf8", default);
        await _lake.FlushAsync();

        var rows = await _lake.QueryAsync("SELECT hex(record_key), hex(record_value), reason FROM bronze.dead_letter ORDER BY kafka_offset");

        Assert.Equal((Convert.ToHexString(Key), Convert.ToHexString(Value), "invalid_utf8"), ((string?)rows[0][0], (string)rows[0][1]!, (string)rows[0][2]!));
        Assert.Null(rows[1][0]);
        Assert.Equal(Convert.ToHexString(Value), (string)rows[1][1]!);
    }

    [Fact]
    public async Task Forwarded_dead_letters_keep_null_keys_null()
    {
        var sink = new CollectingSink();
        var forwarder = new DeadLetterForwarder(sink, TimeProvider.System);

        await forwarder.HandleAsync(Record(null, 1), "not_json", default);
        await forwarder.HandleAsync(Record([], 2), "not_json", default);

        Assert.Null(sink.Letters[0].Key);
        Assert.Equal(0, sink.Letters[1].Key!.Value.Length);
        Assert.Equal(Value, sink.Letters[0].Payload.ToArray());
    }

    private sealed class CollectingSink : IDeadLetterSink
    {
        public List<DeadLetter> Letters { get; } = [];

        public ValueTask WriteAsync(DeadLetter deadLetter, CancellationToken cancellationToken)
        {
            Letters.Add(deadLetter);
            return ValueTask.CompletedTask;
        }
    }
}
