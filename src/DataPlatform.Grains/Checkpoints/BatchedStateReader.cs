namespace DataPlatform.Grains.Checkpoints;

/// <summary>
/// Reads the states of activating grains from the checkpoint store in batches: the reads asked for while
/// one batch is with the store go together in the next (up to <see cref="MostPerBatch"/>). A backlog of
/// new users activates thousands of grains a second; one round trip each cost the durable profile more
/// CPU than anything else it adds.
/// </summary>
public sealed class BatchedStateReader(ICheckpointStore store)
{
    public const int MostPerBatch = 5_000;

    private readonly Lock _gate = new();
    private readonly Queue<PendingRead> _waiting = new();
    private bool _reading;

    public Task<byte[]?> ReadAsync(StateKey key)
    {
        var read = new PendingRead(key, new TaskCompletionSource<byte[]?>(TaskCreationOptions.RunContinuationsAsynchronously));
        bool startReading;
        lock (_gate)
        {
            _waiting.Enqueue(read);
            startReading = !_reading;
            _reading = true;
        }
        if (startReading)
        {
            // Off the caller's scheduler: a grain's turn must not run the store's reads of other grains.
            _ = Task.Run(ReadWhileWaitingAsync);
        }
        return read.Payload.Task;
    }

    private async Task ReadWhileWaitingAsync()
    {
        while (TakeBatch() is { } batch)
        {
            try
            {
                var payloads = await store.ReadStatesAsync([.. batch.Select(read => read.Key).Distinct()], CancellationToken.None);
                foreach (var read in batch)
                {
                    read.Payload.TrySetResult(payloads.GetValueOrDefault(read.Key));
                }
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                foreach (var read in batch)
                {
                    read.Payload.TrySetException(ex);
                }
            }
        }
    }

    private List<PendingRead>? TakeBatch()
    {
        lock (_gate)
        {
            if (_waiting.Count == 0)
            {
                _reading = false;
                return null;
            }
            var batch = new List<PendingRead>(Math.Min(_waiting.Count, MostPerBatch));
            while (batch.Count < MostPerBatch && _waiting.TryDequeue(out var read))
            {
                batch.Add(read);
            }
            return batch;
        }
    }

    private sealed record PendingRead(StateKey Key, TaskCompletionSource<byte[]?> Payload);
}
