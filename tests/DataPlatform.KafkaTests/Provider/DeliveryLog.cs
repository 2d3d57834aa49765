using System.Collections.Concurrent;

namespace DataPlatform.KafkaTests.Provider;

/// <summary>Every delivery of every key, in arrival order, and which silo delivered it.</summary>
public static class DeliveryLog
{
    private static readonly ConcurrentDictionary<string, List<(long Sequence, string Silo)>> Deliveries = new(StringComparer.Ordinal);

    public static void Record(string key, long sequence, string silo)
    {
        var list = Deliveries.GetOrAdd(key, _ => []);
        lock (list)
        {
            list.Add((sequence, silo));
        }
    }

    public static IReadOnlyList<(long Sequence, string Silo)> Of(string key)
    {
        if (!Deliveries.TryGetValue(key, out var list))
        {
            return [];
        }
        lock (list)
        {
            return [.. list];
        }
    }

    /// <summary>The distinct sequence numbers a key received.</summary>
    public static int DistinctCount(string key) => Of(key).Select(d => d.Sequence).Distinct().Count();

    /// <summary>
    /// True when every first-time arrival of a key is the next number after the highest seen so far
    /// (redeliveries of older numbers are allowed): nothing skipped, nothing reordered.
    /// </summary>
    public static bool ArrivesInOrder(string key, out string problem)
    {
        long highest = 0;
        foreach (var (sequence, _) in Of(key))
        {
            if (sequence <= highest)
            {
                continue;
            }
            if (sequence != highest + 1)
            {
                problem = $"{key}: {sequence} arrived after {highest}";
                return false;
            }
            highest = sequence;
        }
        problem = string.Empty;
        return true;
    }
}
