namespace DataPlatform.Analytics.Star;

/// <summary>
/// One version of a customer in gold.dim_customers (a Type 2 slowly changing dimension): the tracked attributes
/// and segment it held from <see cref="ValidFrom"/> until <see cref="ValidTo"/> (null while it is current).
/// </summary>
public sealed record CustomerVersion(
    string CustomerId,
    int Version,
    string? City,
    string? State,
    string? PostalCode,
    string? Country,
    string? Segment,
    DateTimeOffset ValidFrom,
    DateTimeOffset? ValidTo)
{
    /// <summary>The surrogate key: the customer id and the version number.</summary>
    public string CustomerKey => KeyOf(CustomerId, Version);

    /// <summary>True for the version in force now: the customer exists and nothing replaced it.</summary>
    public bool IsCurrent => ValidTo is null;

    public static string KeyOf(string customerId, int version) => $"{customerId}#{version}";
}
