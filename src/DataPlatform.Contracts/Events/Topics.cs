namespace DataPlatform.Contracts.Events;

/// <summary>The Kafka topics DataPlatform ingests and the stream namespace each one maps to.</summary>
public static class Topics
{
    public const string AppEvents = "topic_app_events";
    public const string Clickstream = "topic_clickstream";
    public const string CdcChanges = "topic_cdc_changes";
    public const string Users = "topic_users";
    public const string External = "topic_external";

    public static IReadOnlyList<string> All { get; } = [AppEvents, Clickstream, CdcChanges, Users, External];

    /// <summary>The stream namespace of a topic: its logical name without the <c>topic_</c> prefix.</summary>
    public static string StreamNamespaceOf(string topic) =>
        topic.StartsWith("topic_", StringComparison.Ordinal) ? topic["topic_".Length..] : topic;
}

/// <summary>Stream namespaces (logical topic names) that grains subscribe to.</summary>
public static class StreamNamespaces
{
    public const string AppEvents = "app_events";
    public const string Clickstream = "clickstream";
    public const string CdcChanges = "cdc_changes";
    public const string Users = "users";
    public const string External = "external";
}
