using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace DataPlatform.Simulator.Generation;

/// <summary>
/// The ids one simulator run gives what it creates: events, sessions, orders, order items, payments and
/// transactions. Each is a run key (a hash of the seed and the run id) plus a counter, so ids never repeat
/// within a run, never collide with another run's, and are the same again for the same seed and run id.
/// Users, customers and products are the simulated population and keep their ids in every run.
/// </summary>
internal sealed class RunIds
{
    private readonly byte[] _key;
    private readonly string _tag;
    private long _events;
    private long _sessions;
    private long _orders;
    private long _orderItems;
    private long _payments;

    public RunIds(int seed, string runId)
    {
        ArgumentException.ThrowIfNullOrEmpty(runId);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{seed}/{runId}")));
        _key = hash[..8];
        _tag = Convert.ToHexStringLower(hash, 0, 6);
    }

    /// <summary>An RFC 9562 version 8 UUID: 58 bits of run key, then 62 bits of counter.</summary>
    public string EventId()
    {
        Span<byte> bytes = stackalloc byte[16];
        _key.CopyTo(bytes);
        BinaryPrimitives.WriteInt64BigEndian(bytes[8..], ++_events);
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true).ToString();
    }

    public string SessionId() => Numbered("s", ++_sessions);

    public string OrderId() => Numbered("o", ++_orders);

    public string OrderItemId() => Numbered("oi", ++_orderItems);

    public string PaymentId() => Numbered("pay", ++_payments);

    /// <summary>The payment provider's reference of the payment made last.</summary>
    public string TransactionId() => Numbered("tx", _payments);

    private string Numbered(string prefix, long number) =>
        string.Create(CultureInfo.InvariantCulture, $"{prefix}-{_tag}-{number:D7}");
}
