using Microsoft.Extensions.Logging;

namespace DataPlatform.Streaming.Kafka.Providers;

/// <summary>The pluggable parts and shared services every receiver of one provider uses.</summary>
internal sealed record KafkaReceiverServices(
    IKafkaRecordDecoder Decoder,
    IKafkaStreamIdMapper StreamIdMapper,
    IKafkaDeadLetterHandler? DeadLetterHandler,
    IKafkaRecordObserver? RecordObserver,
    KafkaStreamStatistics Statistics,
    KafkaConsumptionControl Control,
    IKafkaCheckpointer? Checkpointer,
    ILoggerFactory LoggerFactory);
