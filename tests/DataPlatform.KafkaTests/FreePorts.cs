using System.Net;
using System.Net.Sockets;

namespace DataPlatform.KafkaTests;

/// <summary>Ports nobody listens on right now, so tests never collide with each other or a running platform.</summary>
public static class FreePorts
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
