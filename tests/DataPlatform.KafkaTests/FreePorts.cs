using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace DataPlatform.KafkaTests;

/// <summary>
/// Ports nobody listens on right now, so tests never collide with each other or a running platform. They
/// are taken below the kernel's ephemeral range: a port from that range, freed while its silo restarts, can
/// become the source port of any outgoing connection meanwhile, and the silo then cannot bind it again.
/// </summary>
public static class FreePorts
{
    private const int Lowest = 10_000;
    private static readonly HashSet<int> HandedOut = [];

    public static int Next() => NextRange(1);

    /// <summary>The first of <paramref name="count"/> consecutive ports that are all free right now.</summary>
    public static int NextRange(int count)
    {
        var highest = EphemeralRangeStart() - count;
        lock (HandedOut)
        {
            for (var attempt = 0; attempt < 1_000; attempt++)
            {
                var first = Random.Shared.Next(Lowest, highest);
                var ports = Enumerable.Range(first, count).ToList();
                if (ports.All(port => !HandedOut.Contains(port) && IsFree(port)))
                {
                    HandedOut.UnionWith(ports);
                    return first;
                }
            }
        }
        throw new InvalidOperationException($"No {count} consecutive free ports found.");
    }

    private static int EphemeralRangeStart()
    {
        const string range = "/proc/sys/net/ipv4/ip_local_port_range";
        return File.Exists(range) && int.TryParse(File.ReadAllText(range).Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries)[0], NumberStyles.None, CultureInfo.InvariantCulture, out var start)
            ? start
            : 32_768;
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
