namespace DataPlatform.Contracts.Messages;

/// <summary>The segments a user can be in.</summary>
public static class SegmentNames
{
    public const string Vip = "VIP";
    public const string Active = "Active";
    public const string Regular = "Regular";
    public const string Inactive = "Inactive";

    public static IReadOnlyList<string> All { get; } = [Vip, Active, Regular, Inactive];
}
