using System.Text;
using DataPlatform.Simulator.Generation;

namespace DataPlatform.Simulator.Running;

/// <summary>Writes one line per record: topic, key and JSON payload separated by tabs.</summary>
public sealed class JsonLinesSink(TextWriter writer) : IRecordSink
{
    public async ValueTask SendAsync(SimulatedRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        var line = $"{record.Topic}\t{record.Key}\t{Encoding.UTF8.GetString(record.Payload.Span)}";
        await writer.WriteLineAsync(line.AsMemory(), cancellationToken);
    }
}
