using System.Net;
using System.Net.Sockets;

namespace DataPlatform.EmbeddedKafka;

/// <summary>
/// Listens on a fixed local port and pipes every connection to a target port. The mock brokers bind
/// random ports only; forwarders give them the fixed, advertised addresses other processes expect.
/// </summary>
internal sealed class TcpForwarder : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly IPEndPoint _target;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _acceptLoop;

    public TcpForwarder(IPAddress address, int port, IPEndPoint target)
    {
        _target = target;
        _listener = new TcpListener(address, port);
        _listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _acceptLoop = AcceptAsync(_stopping.Token);
    }

    public int Port { get; }

    private async Task AcceptAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(stopping);
            }
            catch (Exception) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException)
            {
                continue;
            }
            _ = PipeAsync(client, stopping);
        }
    }

    private async Task PipeAsync(TcpClient client, CancellationToken stopping)
    {
        using (client)
        using (var upstream = new TcpClient())
        {
            try
            {
                client.NoDelay = true;
                upstream.NoDelay = true;
                await upstream.ConnectAsync(_target, stopping);
                using var connection = CancellationTokenSource.CreateLinkedTokenSource(stopping);
                var clientStream = client.GetStream();
                var upstreamStream = upstream.GetStream();
                // When either side closes, close both.
                await Task.WhenAny(
                    clientStream.CopyToAsync(upstreamStream, connection.Token),
                    upstreamStream.CopyToAsync(clientStream, connection.Token));
                await connection.CancelAsync();
            }
            catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException)
            {
                // A broker that is down or a client that went away: the connection simply ends.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        try
        {
            await _acceptLoop;
        }
        catch (OperationCanceledException)
        {
            // stopped
        }
        _stopping.Dispose();
    }
}
