namespace DataPlatform.Contracts.Messages;

/// <summary>
/// What an order contributes to its customer's revenue: its total while it exists and is not cancelled
/// (<see cref="Counts"/>), nothing otherwise. Sent by the order's row grain whenever that changes.
/// </summary>
[GenerateSerializer, Immutable, Alias("dp.OrderState")]
public sealed record OrderState
{
    [Id(0)] public required string OrderId { get; init; }
    [Id(1)] public required string CustomerId { get; init; }
    [Id(2)] public required decimal TotalAmount { get; init; }
    [Id(3)] public required DateTimeOffset OrderDate { get; init; }
    [Id(4)] public required string Status { get; init; }
    [Id(5)] public bool Deleted { get; init; }

    /// <summary>True when the order counts as revenue: it exists and is not cancelled.</summary>
    public bool Counts => !Deleted && !string.Equals(Status, "cancelled", StringComparison.Ordinal);
}
