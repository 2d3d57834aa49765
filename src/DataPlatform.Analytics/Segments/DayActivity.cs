namespace DataPlatform.Analytics.Segments;

/// <summary>What a user did on one UTC date: events, events in a session, purchases and their value.</summary>
[GenerateSerializer, Alias("dp.DayActivity")]
public sealed class DayActivity
{
    [Id(0)] public long Events { get; set; }
    [Id(1)] public long SessionEvents { get; set; }
    [Id(2)] public long Purchases { get; set; }
    [Id(3)] public decimal PurchaseValue { get; set; }
}
