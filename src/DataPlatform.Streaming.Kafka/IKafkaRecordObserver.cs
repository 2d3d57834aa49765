namespace DataPlatform.Streaming.Kafka;

/// <summary>
/// Sees every record a receiver reads, before decoding, valid or not (register one in the silo's
/// services to archive raw records, e.g. in a bronze table). It runs on the receiver's poll loop: keep
/// it quick and non-blocking. Exceptions are logged and do not stop the partition.
/// </summary>
public interface IKafkaRecordObserver
{
    /// <summary>Called once per record read, in partition order.</summary>
    void OnRecord(KafkaRecord record);
}
