namespace DataPlatform.Grains.Checkpoints;

/// <summary>
/// Lets this silo's timed work (session closing, segment reviews, KPI reports) run only between
/// checkpoints: the work enters and leaves; a checkpoint closes the gate and waits until whatever
/// entered has left, so the state it snapshots is not changing underneath it.
/// </summary>
public sealed class CheckpointGate
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(5);
    private int _inside;
    private volatile bool _closed;

    public bool IsClosed => _closed;

    /// <summary>Waits until the gate is open and enters; dispose the answer to leave.</summary>
    public async ValueTask<IDisposable> EnterAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (!_closed)
            {
                Interlocked.Increment(ref _inside);
                if (!_closed)
                {
                    return new Leaver(this);
                }
                Interlocked.Decrement(ref _inside);
            }
            await Task.Delay(Poll, cancellationToken);
        }
    }

    /// <summary>Enters when the gate is open, without waiting; false when a checkpoint holds it.</summary>
    public bool TryEnter(out IDisposable inside)
    {
        inside = new Leaver(this);
        if (!_closed)
        {
            Interlocked.Increment(ref _inside);
            if (!_closed)
            {
                return true;
            }
            Interlocked.Decrement(ref _inside);
        }
        inside = Nothing.Instance;
        return false;
    }

    /// <summary>Closes the gate and waits until nothing is inside. One closer (the silo's checkpoint participant).</summary>
    public async Task CloseAsync(CancellationToken cancellationToken)
    {
        _closed = true;
        while (Volatile.Read(ref _inside) > 0)
        {
            await Task.Delay(Poll, cancellationToken);
        }
    }

    /// <summary>Opens the gate again (a no-op when it is open).</summary>
    public void Open() => _closed = false;

    private sealed class Nothing : IDisposable
    {
        public static readonly Nothing Instance = new();

        public void Dispose()
        {
        }
    }

    private sealed class Leaver(CheckpointGate gate) : IDisposable
    {
        private int _left;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _left, 1) == 0)
            {
                Interlocked.Decrement(ref gate._inside);
            }
        }
    }
}
