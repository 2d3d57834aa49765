using DataPlatform.Simulator.Generation;

namespace DataPlatform.Simulator.Running;

/// <summary>Where simulated records go. A sink that cannot keep up makes <see cref="SendAsync"/> wait.</summary>
public interface IRecordSink
{
    ValueTask SendAsync(SimulatedRecord record, CancellationToken cancellationToken);
}
