namespace DataPlatform.Analytics.Star;

/// <summary>A row's columns after a change, and whether the row exists then.</summary>
public sealed record RowState(DateTimeOffset At, bool Deleted, IReadOnlyDictionary<string, string?> Columns)
{
    public string? this[string column] => Columns.GetValueOrDefault(column);
}
