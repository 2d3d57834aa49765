using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace DataPlatform.Streaming.Kafka.Providers;

/// <summary>
/// Which silo reads which queue: rendezvous hashing with bounded loads. Every (queue, silo) pair has a score,
/// a hash of the two names; pairs are taken from the highest score down, and each queue goes to the first of
/// its silos that still has room. With Q queues and N silos a silo has room for ⌊Q/N⌋ queues, and the first
/// Q mod N silos to fill up take one more, so loads differ by at most one. Every silo that computes it with
/// the same membership gets the same answer. A queue's scores do not depend on the other silos, so when a
/// silo leaves, its queues move and the others' stay where they are (but for a few that the new capacities
/// shift), and a silo that joins takes about its share, not a reshuffle of everything.
/// </summary>
public static class QueueAssignment
{
    /// <summary>For each queue, the index of the silo that reads it (an empty array when there are no silos).</summary>
    /// <param name="queues">Names that identify the queues on every silo.</param>
    /// <param name="silos">Names that identify the active silos on every silo.</param>
    public static int[] Assign(IReadOnlyList<string> queues, IReadOnlyList<string> silos)
    {
        ArgumentNullException.ThrowIfNull(queues);
        ArgumentNullException.ThrowIfNull(silos);
        if (silos.Count == 0)
        {
            return [];
        }
        var pairs = new List<(ulong Score, int Queue, int Silo)>(queues.Count * silos.Count);
        for (var queue = 0; queue < queues.Count; queue++)
        {
            for (var silo = 0; silo < silos.Count; silo++)
            {
                pairs.Add((Score(queues[queue], silos[silo]), queue, silo));
            }
        }
        // Highest score first; equal scores (practically never) fall back to the names' order.
        pairs.Sort((a, b) => b.Score != a.Score
            ? b.Score.CompareTo(a.Score)
            : a.Queue != b.Queue
                ? string.CompareOrdinal(queues[a.Queue], queues[b.Queue])
                : string.CompareOrdinal(silos[a.Silo], silos[b.Silo]));

        var owners = new int[queues.Count];
        Array.Fill(owners, -1);
        var loads = new int[silos.Count];
        var share = queues.Count / silos.Count;
        var larger = queues.Count % silos.Count;
        var assigned = 0;
        foreach (var (_, queue, silo) in pairs)
        {
            if (owners[queue] >= 0 || loads[silo] > share || (loads[silo] == share && larger == 0))
            {
                continue;
            }
            if (loads[silo] == share)
            {
                larger--;
            }
            loads[silo]++;
            owners[queue] = silo;
            if (++assigned == queues.Count)
            {
                break;
            }
        }
        return owners;
    }

    // SHA-256: the same on every process and .NET version, and well mixed, so no silo is favoured.
    private static ulong Score(string queue, string silo)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes($"{queue}\n{silo}"), hash);
        return BinaryPrimitives.ReadUInt64BigEndian(hash);
    }
}
