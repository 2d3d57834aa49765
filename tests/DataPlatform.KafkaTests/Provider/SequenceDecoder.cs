using System.Text;
using DataPlatform.Streaming.Kafka;

namespace DataPlatform.KafkaTests.Provider;

/// <summary>Accepts records whose value is a number; anything else is a dead letter "not_a_number".</summary>
public sealed class SequenceDecoder : IKafkaRecordDecoder
{
    public KafkaDecodeResult Decode(KafkaRecord record)
    {
        var text = Encoding.UTF8.GetString(record.Value.Span);
        if (text == "throw")
        {
            throw new FormatException("the decoder itself failed");
        }
        return long.TryParse(text, out _) ? KafkaDecodeResult.Accept(record.Value.ToArray()) : KafkaDecodeResult.Reject("not_a_number");
    }
}
