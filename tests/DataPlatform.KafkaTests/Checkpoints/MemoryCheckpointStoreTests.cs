using DataPlatform.Grains.Checkpoints;

namespace DataPlatform.KafkaTests.Checkpoints;

/// <summary>The checkpoint store contract on the embedded default's in-process store.</summary>
public sealed class MemoryCheckpointStoreTests : CheckpointStoreContract
{
    protected override Task<ICheckpointStore> CreateStoreAsync() => Task.FromResult<ICheckpointStore>(new MemoryCheckpointStore());
}
