using System.Net;
using System.Net.Sockets;

namespace DataPlatform.Benchmarks.Ingest;

/// <summary>Ports on 127.0.0.1 nobody listens on right now: a run never collides with a platform already running.</summary>
public static class LoopbackPorts
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
