using System.Threading.Channels;
using DataPlatform.Contracts.Grains;
using DataPlatform.Contracts.Messages;

namespace DataPlatform.GrainTests;

/// <summary>An observer that queues every snapshot it is sent.</summary>
public sealed class RecordingKpiObserver : IKpiObserver
{
    private readonly Channel<KpiSnapshot> _snapshots = Channel.CreateUnbounded<KpiSnapshot>();

    public Task OnKpisAsync(KpiSnapshot snapshot)
    {
        _snapshots.Writer.TryWrite(snapshot);
        return Task.CompletedTask;
    }

    // These tests watch snapshots; alerts have tests of their own.
    public Task OnAlertAsync(Alert alert) => Task.CompletedTask;

    public async Task<KpiSnapshot> NextAsync(TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        return await _snapshots.Reader.ReadAsync(cancellation.Token);
    }
}
