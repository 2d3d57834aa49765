using Orleans;
using Orleans.Runtime;

namespace DataPlatform.Streaming.Kafka;

/// <summary>Fails start-up with a message that says which option to set.</summary>
public sealed class KafkaStreamOptionsValidator(KafkaStreamOptions options, string name, bool consumes) : IConfigurationValidator
{
    /// <inheritdoc />
    public void ValidateConfiguration()
    {
        var problems = Problems().ToList();
        if (problems.Count > 0)
        {
            throw new OrleansConfigurationException(
                $"Kafka stream provider '{name}' is not configured: {string.Join(" ", problems)}");
        }
    }

    /// <summary>Every configuration problem, each as a sentence saying what to set.</summary>
    public IEnumerable<string> Problems()
    {
        if (string.IsNullOrWhiteSpace(options.BootstrapServers))
        {
            yield return $"Set {nameof(KafkaStreamOptions.BootstrapServers)} (e.g. \"127.0.0.1:9092\").";
        }
        if (options.Topics.Count == 0)
        {
            yield return $"Add at least one topic to {nameof(KafkaStreamOptions.Topics)}.";
        }
        foreach (var topic in options.Topics.Where(topic => string.IsNullOrWhiteSpace(topic.Name)))
        {
            yield return $"Every topic needs a {nameof(KafkaTopicOptions.Name)} (namespace '{topic.StreamNamespace}' has none).";
        }
        foreach (var duplicate in options.Topics.GroupBy(topic => topic.EffectiveNamespace).Where(group => group.Count() > 1))
        {
            yield return $"Stream namespace '{duplicate.Key}' is mapped to more than one topic.";
        }
        if (consumes && !options.ProducerOnly && string.IsNullOrWhiteSpace(options.ConsumerGroup))
        {
            yield return $"Set {nameof(KafkaStreamOptions.ConsumerGroup)}, or {nameof(KafkaStreamOptions.ProducerOnly)} for a publish-only provider.";
        }
        if (options.PollBatchSize < 1)
        {
            yield return $"{nameof(KafkaStreamOptions.PollBatchSize)} must be at least 1.";
        }
        if (options.ReadAheadRecords < 1)
        {
            yield return $"{nameof(KafkaStreamOptions.ReadAheadRecords)} must be at least 1.";
        }
        if (options.PollInterval <= TimeSpan.Zero)
        {
            yield return $"{nameof(KafkaStreamOptions.PollInterval)} must be positive.";
        }
        if (options.CommitInterval <= TimeSpan.Zero)
        {
            yield return $"{nameof(KafkaStreamOptions.CommitInterval)} must be positive.";
        }
    }
}
