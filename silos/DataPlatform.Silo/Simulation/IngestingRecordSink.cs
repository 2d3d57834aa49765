using DataPlatform.Grains.Ingestion;
using DataPlatform.Simulator.Generation;
using DataPlatform.Simulator.Running;

namespace DataPlatform.Silo.Simulation;

/// <summary>Feeds simulated records through the same edge (decode, validate, publish) as any producer.</summary>
public sealed class IngestingRecordSink(StreamIngestor ingestor) : IRecordSink
{
    public async ValueTask SendAsync(SimulatedRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        await ingestor.IngestAsync(record.Topic, record.Key, record.Payload, cancellationToken);
    }
}
